"""Forms of a cluster's year (the hub, the sheets, the appraisal, the ranking, the conference). They read
and check input; the services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tdkt.clusters.enums import ProposalAward, YearAction
from tdkt.core.filters import style_fields
from tdkt.core.uploads import validate_upload

EVIDENCE_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpg"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# the moves that need a deadline (services.year_move)
NEEDS_DEADLINE = {YearAction.OPEN_SCORING, YearAction.START_EXPLANATION}


def evidence_max_bytes() -> int:
    """One evidence file: the cap of a proposal dossier's paper (a scanned report, a confirmation)."""
    return settings.TDKT_DOSSIER_FILE_MAX_BYTES


def _date_field(label, *, required=True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày không hợp lệ (dạng dd/mm/yyyy).")},
    )


class MoveForm(forms.Form):
    action = forms.ChoiceField(label=_("Bước"), choices=YearAction.choices)
    deadline = _date_field(_("Hạn"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "mv-%s")
        super().__init__(*args, **kwargs)
        style_fields(self)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = validate_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=evidence_max_bytes())
        return upload


class AdjustForm(forms.Form):
    points = forms.CharField(label=_("Điểm sau thẩm định"), max_length=20)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=4000, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class ExplainForm(forms.Form):
    text = forms.CharField(label=_("Nội dung giải trình"), max_length=4000, widget=forms.Textarea)


# what a cluster proposes; the Government's flag is chosen in the whole bloc (services._check_quota)
CLUSTER_AWARDS = [(v, label) for v, label in ProposalAward.choices if v != ProposalAward.CO_THI_DUA_CP]


class ProposeForm(forms.Form):
    award = forms.ChoiceField(
        label=_("Đề nghị"), choices=[("", _("Không đề nghị")), *CLUSTER_AWARDS], required=False
    )


class ConferenceForm(forms.Form):
    day = _date_field(_("Ngày họp"))
    time = forms.TimeField(
        label=_("Giờ họp"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"}),
        error_messages={"invalid": _("Giờ không hợp lệ (dạng hh:mm).")},
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "conf-%s")
        super().__init__(*args, **kwargs)
        style_fields(self)

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        )


def errors_text(form: forms.Form) -> str:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and name != "version" else ""
        out.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return "; ".join(out)
