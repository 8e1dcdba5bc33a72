"""Every write of the clusters app: blocs and clusters, the scoring table, the covenant, the sheets, the
appraisal, the explanation round, the lock, the ranking, the conference and the proposals.

`year_move` is the only writer of a cluster year's status (moves in workflow.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tdkt.accounts.rules import require_perm
from tdkt.clusters import scoring
from tdkt.clusters.enums import (
    BlocRole,
    CriterionKind,
    ProposalAward,
    SheetStatus,
    YearAction,
    YearStatus,
)
from tdkt.clusters.models import (
    Adjustment,
    Bloc,
    BlocMembership,
    Cluster,
    ClusterYear,
    Criterion,
    Evidence,
    Pledge,
    Score,
    Sheet,
    Standing,
    Target,
)
from tdkt.clusters.workflow import APPRAISAL_OPEN, EXPLANATION_OPEN, next_status
from tdkt.core.audit import audit
from tdkt.core.errors import ServiceError
from tdkt.core.notifications import notify
from tdkt.core.text import clean, clean_block, clean_code
from tdkt.core.uploads import CheckedFile
from tdkt.org.models import Unit
from tdkt.rulebook import services as rulebook

MIN_REASON = 10  # characters: "sai" is not a reason
MAX_POINTS = Decimal(9999)  # a criterion's maximum: × MAX_CAP still fits Score.points (7 digits)
MAX_CAP = Decimal(10)


# ---------------------------------------------------------------------------------------------- helpers


def _decimal(raw, what: str, field: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw).strip().replace(" ", "")
        if "," in text and "." in text:  # 1.234,5 (Vietnamese) or 1,234.5
            text = (
                text.replace(".", "").replace(",", ".")
                if text.rfind(",") > text.rfind(".")
                else text.replace(",", "")
            )
        else:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ServiceError(
                _("%(what)s phải là một số (đã nhận “%(raw)s”).") % {"what": what, "raw": str(raw)[:40]},
                field=field,
            ) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ServiceError(_("%(what)s không hợp lệ.") % {"what": what}, field=field)
    return value


def _reason(text: str, what: str) -> str:
    text = clean_block(text)
    if len(text) < MIN_REASON:
        raise ServiceError(
            _("Hãy ghi %(what)s (ít nhất %(n)s ký tự).") % {"what": what, "n": MIN_REASON}, field="reason"
        )
    return text[:4000]


def _locked_year(cluster_year_id: int) -> ClusterYear:
    year = (
        ClusterYear.objects.select_for_update(of=("self",))
        .select_related("cluster__bloc__owner_unit")
        .filter(pk=cluster_year_id)
        .first()
    )
    if year is None:
        raise ServiceError(_("Không có năm thi đua này của cụm."))
    return year


def _today() -> datetime.date:
    return timezone.localdate()


def members(cluster_year: ClusterYear) -> list[BlocMembership]:
    return list(
        BlocMembership.objects.filter(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
        .select_related("unit")
        .order_by("unit__path")
    )


def table(bloc_id: int, year: int) -> list[Criterion]:
    return list(Criterion.objects.filter(bloc_id=bloc_id, year=year).order_by("order", "id"))


def lines(criteria: list[Criterion]) -> list[scoring.Line]:
    return [
        scoring.Line(
            id=c.pk,
            parent_id=c.parent_id,
            code=c.code,
            kind=c.kind,
            max_points=c.max_points,
            cap_ratio=c.cap_ratio,
        )
        for c in criteria
    ]


def _table_frozen(bloc_id: int, year: int) -> bool:
    return (
        ClusterYear.objects.filter(cluster__bloc_id=bloc_id, year=year)
        .exclude(status=YearStatus.SETUP)
        .exists()
    )


# ---------------------------------------------------------------------------------------------- blocs


def bloc_create(*, actor, code: str, name: str, owner_unit_id: int) -> Bloc:
    owner = Unit.objects.filter(pk=owner_unit_id).first()
    if owner is None:
        raise ServiceError(_("Không có đơn vị này."), field="owner_unit")
    require_perm(actor, "clusters.manage", Bloc(owner_unit=owner))
    code, name = clean_code(code), clean(name)
    if not code or not name:
        raise ServiceError(_("Cần ghi mã và tên khối thi đua."), field="name")
    with transaction.atomic():
        if Bloc.objects.filter(code__iexact=code).exists():
            raise ServiceError(_("Mã khối “%(code)s” đã có.") % {"code": code}, field="code")
        bloc = Bloc.objects.create(code=code, name=name[:255], owner_unit=owner)
        audit(
            actor,
            "bloc.create",
            bloc,
            action="create",
            unit_id=owner.pk,
            changes={"code": code, "name": name},
        )
    return bloc


def cluster_create(*, actor, bloc_id: int, code: str, name: str) -> Cluster:
    bloc = Bloc.objects.select_related("owner_unit").get(pk=bloc_id)
    require_perm(actor, "clusters.manage", bloc)
    code, name = clean_code(code), clean(name)
    if not code or not name:
        raise ServiceError(_("Cần ghi mã và tên cụm thi đua."), field="name")
    with transaction.atomic():
        if bloc.clusters.filter(code__iexact=code).exists():
            raise ServiceError(_("Khối đã có cụm mã “%(code)s”.") % {"code": code}, field="code")
        order = (bloc.clusters.aggregate(n=Max("order"))["n"] or 0) + 1
        cluster = Cluster.objects.create(bloc=bloc, code=code, name=name[:255], order=order)
        audit(
            actor,
            "cluster.create",
            cluster,
            action="create",
            unit_id=bloc.owner_unit_id,
            changes={"code": code},
        )
    return cluster


def membership_set(
    *, actor, cluster_id: int, unit_id: int, year: int, role: str = BlocRole.MEMBER
) -> BlocMembership:
    """A unit's membership of the cluster for `year` with its role; one head and one deputy per cluster a
    year; a unit belongs to one cluster of a bloc a year. The year's members are fixed once scoring opens."""
    cluster = Cluster.objects.select_related("bloc__owner_unit").get(pk=cluster_id)
    require_perm(actor, "clusters.manage", cluster.bloc)
    if role not in BlocRole.values:
        raise ServiceError(_("Vai trò không hợp lệ."), field="role")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ServiceError(_("Không có đơn vị này."), field="unit")
    if unit.active_to is not None and unit.active_to < datetime.date(year, 1, 1):
        raise ServiceError(
            _("%(unit)s đã thôi hoạt động từ %(day)s: không là thành viên năm %(year)s được.")
            % {"unit": unit, "day": unit.active_to.strftime("%d/%m/%Y"), "year": year},
            field="unit",
        )
    with transaction.atomic():
        row = BlocMembership.objects.filter(bloc=cluster.bloc, unit=unit, year=year).first()
        # the cluster joined and the cluster left (a unit moving between clusters), locked in one order
        involved = {cluster.pk} | ({row.cluster_id} if row is not None and row.cluster_id else set())
        for cy in (
            ClusterYear.objects.select_for_update(of=("self",))
            .filter(cluster_id__in=involved, year=year)
            .select_related("cluster")
            .order_by("pk")
        ):
            if cy.status == YearStatus.SETUP:
                continue
            if cy.cluster_id == cluster.pk:
                raise ServiceError(
                    _("Đã mở chấm điểm năm %(year)s: không đổi thành viên được nữa.") % {"year": year}
                )
            raise ServiceError(
                _("%(unit)s đang chấm điểm năm %(year)s ở %(cluster)s: không chuyển cụm được nữa.")
                % {"unit": unit, "year": year, "cluster": cy.cluster}
            )
        if role in (BlocRole.HEAD, BlocRole.DEPUTY):
            other = (
                BlocMembership.objects.filter(cluster=cluster, year=year, role=role)
                .exclude(unit=unit)
                .first()
            )
            if other is not None:
                raise ServiceError(
                    _("Cụm đã có %(role)s năm %(year)s: %(unit)s.")
                    % {"role": BlocRole(role).label.lower(), "year": year, "unit": other.unit},
                    field="role",
                )
        old = (row.cluster_id, row.role) if row else None
        if row is None:
            row = BlocMembership.objects.create(
                bloc=cluster.bloc, cluster=cluster, unit=unit, year=year, role=role
            )
        else:
            row.cluster, row.role = cluster, role
            row.save(update_fields=["cluster", "role"])
        audit(
            actor,
            "bloc.member",
            row,
            unit_id=cluster.bloc.owner_unit_id,
            object_repr=f"{unit} — {cluster} {year}",
            changes={"unit": str(unit), "year": year, "cluster": str(cluster), "role": role, "before": old},
        )
    return row


def membership_remove(*, actor, membership_id: int) -> None:
    """Take a unit out of its cluster for a year, before the year's scoring opens (its unsigned pledge goes
    with it; a signed covenant keeps the member)."""
    row = (
        BlocMembership.objects.select_related("bloc__owner_unit", "unit", "cluster")
        .filter(pk=membership_id)
        .first()
    )
    if row is None:
        raise ServiceError(_("Không có thành viên này."))
    require_perm(actor, "clusters.manage", row.bloc)
    with transaction.atomic():
        cy = ClusterYear.objects.select_for_update().filter(cluster_id=row.cluster_id, year=row.year).first()
        if cy is not None and cy.status != YearStatus.SETUP:
            raise ServiceError(
                _("Đã mở chấm điểm năm %(year)s: không đổi thành viên được nữa.") % {"year": row.year}
            )
        pledge = Pledge.objects.filter(cluster_year=cy, unit_id=row.unit_id).first() if cy else None
        if pledge is not None and pledge.signed_on is not None:
            raise ServiceError(
                _("%(unit)s đã ký giao ước năm %(year)s: không bỏ khỏi cụm được.")
                % {"unit": row.unit, "year": row.year}
            )
        if pledge is not None:
            pledge.delete()
        audit(
            actor,
            "bloc.member_remove",
            row,
            unit_id=row.bloc.owner_unit_id,
            object_repr=f"{row.unit} — {row.cluster} {row.year}",
            changes={"unit": str(row.unit), "year": row.year, "cluster": str(row.cluster), "role": row.role},
        )
        row.delete()


def year_open(*, actor, cluster_id: int, year: int) -> ClusterYear:
    """The cluster's year (idempotent: a second click gives the same one)."""
    cluster = Cluster.objects.select_related("bloc__owner_unit").get(pk=cluster_id)
    require_perm(actor, "clusters.manage", cluster.bloc)
    year = rulebook.check_year(year)
    with transaction.atomic():
        cy, made = ClusterYear.objects.get_or_create(cluster=cluster, year=year)
        if made:
            cy.tie_break = list(rulebook.setting_value("bloc.tie_break", year) or [])
            cy.save(update_fields=["tie_break"])
            audit(actor, "cluster_year.open", cy, action="create", unit_id=cluster.bloc.owner_unit_id)
    return cy


# ---------------------------------------------------------------------------------------------- scoring table


def criterion_save(
    *,
    actor,
    bloc_id: int,
    year: int,
    code: str,
    name: str,
    kind: str,
    max_points=None,
    parent_id: int | None = None,
    cap_ratio=None,
    unit_label: str = "",
    evidence_required: bool = False,
    evidence_note: str = "",
    criterion_id: int | None = None,
) -> Criterion:
    """Add or change a line of the bloc's table for `year`; the table is fixed once a cluster of the bloc
    opens scoring for that year."""
    bloc = Bloc.objects.select_related("owner_unit").get(pk=bloc_id)
    require_perm(actor, "clusters.manage", bloc)
    code, name = clean_code(code), clean(name)
    if not code:
        raise ServiceError(_("Cần ghi số thứ tự của tiêu chí (ví dụ 1.2)."), field="code")
    if not name:
        raise ServiceError(_("Cần ghi nội dung tiêu chí."), field="name")
    if kind not in CriterionKind.values:
        raise ServiceError(_("Loại tiêu chí không hợp lệ."), field="kind")
    maximum = _decimal(max_points, _("Điểm tối đa"), "max_points")
    cap = _decimal(cap_ratio, _("Mức trần khi vượt chỉ tiêu"), "cap_ratio")
    if maximum is not None and maximum < 0:
        raise ServiceError(_("Điểm tối đa không được âm."), field="max_points")
    if maximum is not None and maximum > MAX_POINTS:  # a line's points are kept with 7 digits
        raise ServiceError(
            _("Điểm tối đa của một tiêu chí không quá %(n)s.") % {"n": scoring.fmt(MAX_POINTS)},
            field="max_points",
        )
    if kind != CriterionKind.GROUP and maximum is None:
        raise ServiceError(
            _("Tiêu chí chấm điểm cần điểm tối đa (với điểm thưởng, điểm trừ: mức giới hạn)."),
            field="max_points",
        )
    if kind == CriterionKind.TARGET:
        if cap is not None and not 1 <= cap <= MAX_CAP:
            raise ServiceError(
                _("Mức trần khi vượt chỉ tiêu tính bằng lần, từ 1 đến %(n)s (ví dụ 1,2).")
                % {"n": scoring.fmt(MAX_CAP)},
                field="cap_ratio",
            )
    else:
        cap = None
    with transaction.atomic():
        Bloc.objects.select_for_update().filter(pk=bloc.pk).first()
        if _table_frozen(bloc.pk, year):
            raise ServiceError(
                _("Đã mở chấm điểm năm %(year)s: bảng tiêu chí không sửa được nữa.") % {"year": year}
            )
        parent = None
        if parent_id:
            parent = Criterion.objects.filter(pk=parent_id, bloc=bloc, year=year).first()
            if parent is None or parent.kind != CriterionKind.GROUP:
                raise ServiceError(_("Tiêu chí cha phải là một nhóm tiêu chí của bảng này."), field="parent")
        row = None
        if criterion_id:
            row = Criterion.objects.filter(pk=criterion_id, bloc=bloc, year=year).first()
            if row is None:
                raise ServiceError(_("Không có tiêu chí này trong bảng."))
            if row.kind == CriterionKind.GROUP and kind != CriterionKind.GROUP and row.children.exists():
                raise ServiceError(
                    _("Nhóm đang có tiêu chí con: không đổi thành tiêu chí chấm điểm được."), field="kind"
                )
            walk = parent
            while walk is not None:
                if walk.pk == row.pk:
                    raise ServiceError(_("Một nhóm không nằm trong chính nó được."), field="parent")
                walk = walk.parent
        clash = Criterion.objects.filter(bloc=bloc, year=year, code__iexact=code)
        if row is not None:
            clash = clash.exclude(pk=row.pk)
        if clash.exists():
            raise ServiceError(_("Bảng đã có tiêu chí số “%(code)s”.") % {"code": code}, field="code")
        values = dict(
            parent=parent,
            code=code,
            name=name[:500],
            kind=kind,
            max_points=maximum,
            cap_ratio=cap,
            unit_label=clean(unit_label)[:40],
            evidence_required=bool(evidence_required) and kind != CriterionKind.GROUP,
            evidence_note=clean(evidence_note)[:500],
        )
        if row is None:
            order = (Criterion.objects.filter(bloc=bloc, year=year).aggregate(n=Max("order"))["n"] or 0) + 1
            row = Criterion.objects.create(bloc=bloc, year=year, order=order, **values)
            event, before = "criterion.create", None
        else:
            before = {k: str(getattr(row, k)) for k in ("code", "name", "kind", "max_points", "cap_ratio")}
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            event = "criterion.update"
        _reorder(bloc.pk, year)
        audit(
            actor,
            event,
            row,
            unit_id=bloc.owner_unit_id,
            changes={"year": year, "code": code, "kind": kind, "max_points": maximum, "before": before},
        )
    return row


def _code_key(code: str) -> tuple:
    """1 < 1.1 < 1.2 < 2 < I < II < a: numbers by value, then words ("I", "a") by their letters; never an
    int compared with a str."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in code.replace("-", ".").split(".")
    )


def _reorder(bloc_id: int, year: int) -> None:
    """Lines in the order of their numbers (1, 1.1, 1.2, 2 …), whatever order they were written in."""
    rows = list(Criterion.objects.filter(bloc_id=bloc_id, year=year))
    rows.sort(key=lambda c: _code_key(c.code))
    for i, c in enumerate(rows, start=1):
        c.order = i
    Criterion.objects.bulk_update(rows, ["order"])


def criterion_remove(*, actor, criterion_id: int) -> None:
    row = Criterion.objects.select_related("bloc__owner_unit").get(pk=criterion_id)
    require_perm(actor, "clusters.manage", row.bloc)
    with transaction.atomic():
        Bloc.objects.select_for_update().filter(pk=row.bloc_id).first()
        if _table_frozen(row.bloc_id, row.year):
            raise ServiceError(
                _("Đã mở chấm điểm năm %(year)s: bảng tiêu chí không sửa được nữa.") % {"year": row.year}
            )
        subtree, level = [row], [row.pk]
        while level:  # the group's lines at every depth go with it
            below = list(Criterion.objects.filter(parent_id__in=level))
            subtree += below
            level = [c.pk for c in below]
        if Target.objects.filter(criterion__in=subtree).exists():
            raise ServiceError(_("Tiêu chí đã có chỉ tiêu giao trong giao ước: bỏ chỉ tiêu trước."))
        gone = [c.code for c in subtree]
        audit(actor, "criterion.remove", row, unit_id=row.bloc.owner_unit_id, changes={"codes": gone})
        row.delete()


def table_copy(*, actor, bloc_id: int, year: int, from_year: int) -> int:
    """Start the year's table from another year's (the tree, points, kinds and evidence); only into an
    empty table. Returns the number of lines copied."""
    bloc = Bloc.objects.select_related("owner_unit").get(pk=bloc_id)
    require_perm(actor, "clusters.manage", bloc)
    source = table(bloc.pk, from_year)
    if not source:
        raise ServiceError(
            _("Năm %(year)s chưa có bảng tiêu chí để sao chép.") % {"year": from_year}, field="from_year"
        )
    with transaction.atomic():
        Bloc.objects.select_for_update().filter(pk=bloc.pk).first()
        if Criterion.objects.filter(bloc=bloc, year=year).exists():
            raise ServiceError(
                _("Bảng tiêu chí năm %(year)s đã có nội dung: chỉ sao chép vào bảng trống.") % {"year": year}
            )
        made: dict[int, Criterion] = {}
        for c in source:  # the parents are set below: a group's number may sort after its lines' ("II", "3")
            made[c.pk] = Criterion.objects.create(
                bloc=bloc,
                year=year,
                code=c.code,
                name=c.name,
                kind=c.kind,
                max_points=c.max_points,
                cap_ratio=c.cap_ratio,
                unit_label=c.unit_label,
                evidence_required=c.evidence_required,
                evidence_note=c.evidence_note,
                order=c.order,
            )
        children = []
        for c in source:
            if c.parent_id is not None:
                made[c.pk].parent = made[c.parent_id]
                children.append(made[c.pk])
        Criterion.objects.bulk_update(children, ["parent"])
        audit(
            actor,
            "criterion.copy",
            bloc,
            unit_id=bloc.owner_unit_id,
            changes={"year": year, "from_year": from_year, "lines": len(made)},
        )
    return len(made)


# ---------------------------------------------------------------------------------------------- covenant


def covenant_set(
    *, actor, cluster_year_id: int, on: datetime.date | None, place: str, content: str
) -> ClusterYear:
    with transaction.atomic():
        cy = _locked_year(cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        if cy.status != YearStatus.SETUP:
            raise ServiceError(_("Giao ước chỉ sửa được trước khi mở chấm điểm."))
        if on is not None and on.year not in (cy.year, cy.year - 1):
            raise ServiceError(
                _("Ngày ký giao ước phải trong năm %(year)s (hoặc cuối năm trước).") % {"year": cy.year},
                field="on",
            )
        cy.covenant_on, cy.covenant_place, cy.covenant_content = (
            on,
            clean(place)[:255],
            clean_block(content)[:20000],
        )
        cy.save(update_fields=["covenant_on", "covenant_place", "covenant_content", "updated_at"])
        audit(
            actor,
            "covenant.set",
            cy,
            unit_id=cy.cluster.bloc.owner_unit_id,
            changes={"on": on, "place": cy.covenant_place},
        )
    return cy


def pledge_save(
    *, actor, cluster_year_id: int, unit_id: int, content: str, targets: dict[int, object]
) -> Pledge:
    """A member's pledge and its targets for the target lines of the table (the head records them, or the
    member's officer while the year is being set up)."""
    with transaction.atomic():
        cy = _locked_year(cluster_year_id)
        member = (
            BlocMembership.objects.filter(cluster_id=cy.cluster_id, year=cy.year, unit_id=unit_id)
            .select_related("unit")
            .first()
        )
        if member is None:
            raise ServiceError(
                _("Đơn vị này không là thành viên của cụm năm %(year)s.") % {"year": cy.year}, field="unit"
            )
        if not (
            actor.has_perm("clusters.lead", cy)
            or actor.has_perm("clusters.score", Sheet(unit=member.unit, cluster_year=cy))
        ):
            require_perm(actor, "clusters.lead", cy)
        if cy.status != YearStatus.SETUP:
            raise ServiceError(_("Giao ước chỉ sửa được trước khi mở chấm điểm."))
        pledge, _made = Pledge.objects.get_or_create(cluster_year=cy, unit=member.unit)
        if pledge.signed_on is not None:
            raise ServiceError(_("%(unit)s đã ký giao ước: không sửa được nữa.") % {"unit": member.unit})
        target_lines = {
            c.pk: c
            for c in Criterion.objects.filter(
                bloc_id=cy.cluster.bloc_id, year=cy.year, kind=CriterionKind.TARGET
            )
        }
        values: dict[int, Decimal] = {}
        for raw_id, raw in (targets or {}).items():
            try:
                cid = int(raw_id)
            except (TypeError, ValueError):
                raise ServiceError(_("Chỉ tiêu không thuộc bảng tiêu chí của năm.")) from None
            line = target_lines.get(cid)
            if line is None:
                raise ServiceError(_("Chỉ tiêu không thuộc bảng tiêu chí của năm."))
            value = _decimal(raw, _("Chỉ tiêu của tiêu chí %(code)s") % {"code": line.code}, f"target_{cid}")
            if value is None:
                continue
            value = scoring.q(value)  # as the column keeps it (0,001 would be 0,00)
            if value <= 0:
                raise ServiceError(
                    _("Chỉ tiêu của tiêu chí %(code)s phải lớn hơn 0.") % {"code": line.code},
                    field=f"target_{cid}",
                )
            values[cid] = value
        pledge.content = clean_block(content)[:20000]
        pledge.save(update_fields=["content", "updated_at"])
        pledge.targets.exclude(criterion_id__in=list(values)).delete()
        for cid, value in values.items():
            Target.objects.update_or_create(pledge=pledge, criterion_id=cid, defaults={"value": value})
        audit(
            actor,
            "covenant.pledge",
            pledge,
            unit_id=member.unit_id,
            object_repr=f"{member.unit} — {cy}",
            changes={"targets": {target_lines[c].code: v for c, v in values.items()}},
        )
    return pledge


def pledge_sign(*, actor, pledge_id: int, signer: str, signer_title: str, on: datetime.date) -> Pledge:
    """Record that the member's representative signed the covenant at the meeting."""
    pledge = Pledge.objects.select_related("cluster_year", "unit").get(pk=pledge_id)
    with transaction.atomic():
        cy = _locked_year(pledge.cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        if cy.status != YearStatus.SETUP:
            raise ServiceError(_("Giao ước chỉ ký trước khi mở chấm điểm."))
        signer = clean(signer)
        if not signer:
            raise ServiceError(_("Cần ghi họ tên người ký."), field="signer")
        if not isinstance(on, datetime.date):
            raise ServiceError(_("Cần ghi ngày ký."), field="on")
        missing = Criterion.objects.filter(
            bloc_id=cy.cluster.bloc_id, year=cy.year, kind=CriterionKind.TARGET
        ).exclude(targets__pledge=pledge)
        if missing.exists():
            raise ServiceError(
                _("%(unit)s chưa có chỉ tiêu cho: %(codes)s.")
                % {"unit": pledge.unit, "codes": ", ".join(c.code for c in missing)}
            )
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if pledge.signed_on is not None:
            raise ServiceError(_("%(unit)s đã ký giao ước.") % {"unit": pledge.unit})
        pledge.signed_on, pledge.signer, pledge.signer_title = on, signer[:180], clean(signer_title)[:180]
        pledge.save(update_fields=["signed_on", "signer", "signer_title", "updated_at"])
        audit(
            actor,
            "covenant.sign",
            pledge,
            unit_id=pledge.unit_id,
            object_repr=f"{pledge.unit} — {cy}",
            changes={"signer": signer, "on": on},
        )
    return pledge


# ---------------------------------------------------------------------------------------------- moves


def _deadline(value, what: str, field: str, after: datetime.date | None = None) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ServiceError(_("Cần ghi %(what)s.") % {"what": what}, field=field)
    if after is not None and value < after:
        raise ServiceError(
            _("%(what)s không được trước ngày %(day)s.") % {"what": what, "day": after.strftime("%d/%m/%Y")},
            field=field,
        )
    return value


def year_move(
    *,
    actor,
    cluster_year_id: int,
    action: str,
    deadline: datetime.date | None = None,
    message: str = "",
) -> ClusterYear:
    """Move the cluster's year on: open scoring (with its deadline), start the appraisal, open the
    explanation round (with its deadline), lock, rank, publish. The vote is recorded by the conference's
    ballot (record_conference)."""
    with transaction.atomic():
        cy = _locked_year(cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        if action == YearAction.RECORD_VOTE:
            raise ServiceError(_("Kết quả biểu quyết được ghi khi đóng phiếu tại Hội nghị."))
        old = cy.status
        new = next_status(old, action)
        now = timezone.now()
        today = timezone.localdate()
        fields = ["status", "version", "updated_at"]
        if action == YearAction.OPEN_SCORING:
            cy.score_deadline = _deadline(deadline, _("hạn tự chấm điểm"), "deadline", after=today)
            fields.append("score_deadline")
            _open_sheets(cy)
        elif action == YearAction.START_APPRAISAL:
            waiting = cy.sheets.filter(status=SheetStatus.DRAFT).select_related("unit")
            if waiting.exists() and cy.score_deadline and today <= cy.score_deadline:
                raise ServiceError(
                    _("Chưa hết hạn tự chấm (%(day)s) và còn đơn vị chưa gửi: %(units)s.")
                    % {
                        "day": cy.score_deadline.strftime("%d/%m/%Y"),
                        "units": ", ".join(str(s.unit) for s in waiting),
                    }
                )
        elif action == YearAction.START_EXPLANATION:
            if not Adjustment.objects.filter(score__sheet__cluster_year=cy).exists():
                raise ServiceError(
                    _("Chưa có điểm nào được điều chỉnh: không cần vòng giải trình, có thể chốt điểm.")
                )
            cy.explain_deadline = _deadline(deadline, _("hạn giải trình"), "deadline", after=today)
            fields.append("explain_deadline")
            _notify_members(
                cy,
                _("Mở giải trình điểm thi đua %(cy)s, hạn %(day)s")
                % {"cy": cy, "day": cy.explain_deadline.strftime("%d/%m/%Y")},
                "explain",
            )
        elif action == YearAction.LOCK:
            unanswered = Adjustment.objects.filter(score__sheet__cluster_year=cy, explanation="")
            if (
                old == YearStatus.EXPLANATION
                and unanswered.exists()
                and cy.explain_deadline
                and today <= cy.explain_deadline
            ):
                raise ServiceError(
                    _("Chưa hết hạn giải trình (%(day)s) và còn %(n)s điều chỉnh chưa được đơn vị trả lời.")
                    % {"day": cy.explain_deadline.strftime("%d/%m/%Y"), "n": unanswered.count()}
                )
            for sheet in cy.sheets.all():
                _recount(sheet)
            cy.sheets.update(status=SheetStatus.LOCKED)
            cy.locked_at = now
            fields.append("locked_at")
        elif action == YearAction.RANK:
            if cy.meeting_id:  # the conference's agenda names each standing
                raise ServiceError(_("Đã chuẩn bị Hội nghị: không xếp hạng lại được."))
            cy.tie_break = list(rulebook.setting_value("bloc.tie_break", cy.year) or [])
            _rank(cy)
            cy.ranked_at = now
            fields += ["tie_break", "ranked_at"]
        elif action == YearAction.PUBLISH:
            cy.published_at = now
            fields.append("published_at")
        cy.status = new
        cy.version += 1
        cy.save(update_fields=fields)
        audit(
            actor,
            f"cluster_year.{action}",
            cy,
            unit_id=cy.cluster.bloc.owner_unit_id,
            changes={"status": [old, new], "deadline": deadline, "message": clean(message)[:500]},
        )
    return cy


def _open_sheets(cy: ClusterYear) -> None:
    """Scoring opens: the table must have scored lines; every member has signed the covenant with its
    targets; one sheet per member, one line per scored criterion."""
    # the table's writers lock the bloc: no line added or removed while the sheets are made from it
    Bloc.objects.select_for_update().filter(pk=cy.cluster.bloc_id).first()
    criteria = table(cy.cluster.bloc_id, cy.year)
    scored = [c for c in criteria if c.scored]
    if not scored:
        raise ServiceError(_("Bảng tiêu chí năm %(year)s chưa có tiêu chí chấm điểm.") % {"year": cy.year})
    rows = members(cy)
    if len(rows) < 2:
        raise ServiceError(
            _("Cụm cần ít nhất hai thành viên năm %(year)s để chấm điểm, xếp hạng.") % {"year": cy.year}
        )
    if not any(m.role == BlocRole.HEAD for m in rows):
        raise ServiceError(_("Cụm chưa có cụm trưởng năm %(year)s.") % {"year": cy.year})
    signed = set(
        Pledge.objects.filter(cluster_year=cy, signed_on__isnull=False).values_list("unit_id", flat=True)
    )
    unsigned = [str(m.unit) for m in rows if m.unit_id not in signed]
    if unsigned:
        raise ServiceError(_("Chưa ký giao ước: %(units)s.") % {"units": ", ".join(unsigned)})
    target_lines = [c for c in scored if c.kind == CriterionKind.TARGET]
    if target_lines:  # a target line added after a member signed: the member could never score it
        have = set(
            Target.objects.filter(pledge__cluster_year=cy, criterion__in=target_lines).values_list(
                "pledge__unit_id", "criterion_id"
            )
        )
        lacking = [
            f"{m.unit} ({c.code})" for m in rows for c in target_lines if (m.unit_id, c.pk) not in have
        ]
        if lacking:
            raise ServiceError(
                _("Chưa có chỉ tiêu giao trong giao ước đã ký: %(items)s.") % {"items": ", ".join(lacking)}
            )
    sheets = Sheet.objects.bulk_create(
        [
            Sheet(cluster_year=cy, unit=m.unit)
            for m in rows
            if not Sheet.objects.filter(cluster_year=cy, unit=m.unit).exists()
        ]
    )
    Score.objects.bulk_create(Score(sheet=s, criterion=c) for s in sheets for c in scored)
    _notify_members(
        cy,
        _("Mở tự chấm điểm thi đua %(cy)s, hạn %(day)s")
        % {"cy": cy, "day": cy.score_deadline.strftime("%d/%m/%Y")},
        "scoring",
    )


def _notify_members(cy: ClusterYear, title: str, what: str) -> None:
    from tdkt.accounts.enums import Role
    from tdkt.accounts.models import RoleAssignment

    units = [m.unit_id for m in members(cy)]
    users = {
        a.user
        for a in RoleAssignment.objects.current()
        .filter(unit_id__in=units, role__in=[Role.OFFICER, Role.UNIT_HEAD, Role.BLOC_HEAD])
        .select_related("user")
    }
    notify(
        users=users,
        kind="clusters.year",
        title=title,
        url=reverse("clusters:year_detail", args=[cy.pk]),
        dedupe_key=f"clusters.year:{cy.pk}:{what}",
    )


# ---------------------------------------------------------------------------------------------- sheets


def _targets(sheet: Sheet) -> dict[int, Decimal]:
    return dict(
        Target.objects.filter(
            pledge__cluster_year_id=sheet.cluster_year_id, pledge__unit_id=sheet.unit_id
        ).values_list("criterion_id", "value")
    )


def _recount(sheet: Sheet) -> Sheet:
    scores = list(sheet.scores.all())
    criteria = table(sheet.cluster_year.cluster.bloc_id, sheet.cluster_year.year)
    plan = lines(criteria)
    now = scoring.totals(plan, {s.criterion_id: s.points for s in scores})
    own = scoring.totals(plan, {s.criterion_id: s.self_points for s in scores})
    sheet.total, sheet.bonus, sheet.deduction = now.total, now.bonus, now.deduction
    sheet.self_total = own.total
    sheet.group_totals = {k: str(v) for k, v in now.groups.items()}
    sheet.save(update_fields=["total", "bonus", "deduction", "self_total", "group_totals", "updated_at"])
    return sheet


def _sheet_for_member(sheet_id: int, actor) -> tuple[Sheet, ClusterYear]:
    sheet = Sheet.objects.select_related("unit", "cluster_year__cluster__bloc").filter(pk=sheet_id).first()
    if sheet is None:
        raise ServiceError(_("Không có phiếu chấm điểm này."))
    require_perm(actor, "clusters.score", sheet)
    cy = _locked_year(sheet.cluster_year_id)
    sheet = Sheet.objects.select_for_update(of=("self",)).select_related("unit").get(pk=sheet.pk)
    sheet.cluster_year = cy
    if cy.status != YearStatus.SCORING:
        raise ServiceError(
            _("Chỉ tự chấm điểm khi cụm đang ở bước tự chấm (hiện tại: %(s)s).")
            % {"s": cy.get_status_display()}
        )
    if cy.score_deadline and timezone.localdate() > cy.score_deadline:
        raise ServiceError(
            _("Đã quá hạn tự chấm điểm (%(day)s).") % {"day": cy.score_deadline.strftime("%d/%m/%Y")}
        )
    if sheet.status != SheetStatus.DRAFT:
        raise ServiceError(_("Phiếu chấm điểm đã gửi: không sửa được nữa."))
    return sheet, cy


def score_save(*, actor, sheet_id: int, criterion_id: int, value, note: str = "") -> Score:
    """The member's value for a line: points (fixed, bonus, deduction) or the value achieved (target)."""
    with transaction.atomic():
        sheet, cy = _sheet_for_member(sheet_id, actor)
        score = (
            Score.objects.select_for_update()
            .select_related("criterion")
            .filter(sheet=sheet, criterion_id=criterion_id)
            .first()
        )
        if score is None:
            raise ServiceError(_("Tiêu chí không thuộc phiếu chấm điểm này."))
        line = lines([score.criterion])[0]
        number = _decimal(value, _("Điểm tiêu chí %(code)s") % {"code": score.criterion.code}, "value")
        target = _targets(sheet).get(score.criterion_id)
        if number is not None:
            problem = scoring.check_value(line, number, target)
            if problem:
                raise ServiceError(
                    _("Tiêu chí %(code)s: %(problem)s") % {"code": score.criterion.code, "problem": problem},
                    field="value",
                )
        old = score.value
        score.value = number
        score.self_points = score.points = scoring.line_points(line, number, target)
        score.note = clean_block(note)[:1000]
        score.version += 1
        score.save(update_fields=["value", "self_points", "points", "note", "version"])
        _recount(sheet)
        audit(
            actor,
            "score.self",
            score,
            unit_id=sheet.unit_id,
            object_repr=f"{sheet.unit} — {score.criterion.code}",
            changes={"value": [old, number], "points": score.points},
        )
    return score


def evidence_add(*, actor, score_id: int, checked: CheckedFile) -> Evidence:
    score = Score.objects.select_related("sheet", "criterion").filter(pk=score_id).first()
    if score is None:
        raise ServiceError(_("Không có dòng chấm điểm này."))
    with transaction.atomic():
        sheet, _cy = _sheet_for_member(score.sheet_id, actor)
        if Evidence.objects.filter(score=score, sha256=checked.sha256).exists():
            raise ServiceError(_("Tệp “%(name)s” đã được nộp cho tiêu chí này.") % {"name": checked.name})
        row = Evidence(score=score)
        row.store(checked, actor=actor)
        audit(
            actor,
            "score.evidence",
            row,
            unit_id=sheet.unit_id,
            object_repr=f"{sheet.unit} — {score.criterion.code}",
            changes={"file": checked.name, "sha256": checked.sha256},
        )
    return row


def evidence_remove(*, actor, evidence_id: int) -> None:
    row = Evidence.objects.select_related("score__sheet", "score__criterion").filter(pk=evidence_id).first()
    if row is None:
        raise ServiceError(_("Không có minh chứng này."))
    with transaction.atomic():
        sheet, _cy = _sheet_for_member(row.score.sheet_id, actor)
        audit(
            actor,
            "score.evidence_remove",
            row,
            unit_id=sheet.unit_id,
            changes={"file": row.name, "sha256": row.sha256},
        )
        stored = row.file.name
        row.delete()
        # the file goes once the removal is committed (a failed transaction keeps both)
        transaction.on_commit(lambda: Evidence.file.field.storage.delete(stored))


def sheet_submit(*, actor, sheet_id: int) -> Sheet:
    """Send the sheet to the cluster head: every line given, the evidence each requires attached."""
    with transaction.atomic():
        sheet, cy = _sheet_for_member(sheet_id, actor)
        scores = list(sheet.scores.select_related("criterion").order_by("criterion__order"))
        empty = [
            s.criterion.code
            for s in scores
            if s.value is None and s.criterion.kind not in (CriterionKind.BONUS, CriterionKind.DEDUCTION)
        ]
        if empty:
            raise ServiceError(_("Chưa chấm các tiêu chí: %(codes)s.") % {"codes": ", ".join(empty)})
        with_files = set(Evidence.objects.filter(score__sheet=sheet).values_list("score_id", flat=True))
        bare = [
            s.criterion.code
            for s in scores
            if s.criterion.evidence_required and s.value not in (None, Decimal(0)) and s.pk not in with_files
        ]
        if bare:
            raise ServiceError(
                _("Thiếu minh chứng bắt buộc cho các tiêu chí: %(codes)s.") % {"codes": ", ".join(bare)}
            )
        for s in scores:  # a bonus or deduction left empty counts as none
            if s.value is None:
                s.value = s.self_points = s.points = Decimal(0)
                s.save(update_fields=["value", "self_points", "points"])
        _recount(sheet)
        sheet.status, sheet.submitted_at, sheet.submitted_by = SheetStatus.SUBMITTED, timezone.now(), actor
        sheet.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        audit(
            actor,
            "sheet.submit",
            sheet,
            unit_id=sheet.unit_id,
            object_repr=f"{sheet.unit} — {cy}",
            changes={"self_total": sheet.self_total},
        )
    return sheet


# ---------------------------------------------------------------------------------------------- appraisal


def appraises_own_sheet(actor, sheet: Sheet) -> bool:
    """The actor would appraise their own unit's sheet: the bloc head (or the head unit's officer) on the
    head unit's sheet. Only the organiser appraises it."""
    from tdkt.accounts.models import RoleAssignment

    own = RoleAssignment.objects.current().filter(user=actor, unit_id=sheet.unit_id).exists()
    return own and not actor.has_perm("clusters.manage", sheet.cluster_year)


def score_adjust(*, actor, score_id: int, points, reason: str, version: int) -> Adjustment:
    """The head's (or the organiser's) change of a line's points, with its reason. `version` is the line's
    version the appraiser saw: if another appraiser changed it meanwhile, nothing is saved."""
    score = Score.objects.select_related("sheet__unit", "criterion").filter(pk=score_id).first()
    if score is None:
        raise ServiceError(_("Không có dòng chấm điểm này."))
    reason = _reason(reason, _("lý do điều chỉnh"))
    with transaction.atomic():
        cy = _locked_year(score.sheet.cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        # read again under the year's lock: the points before the change are the ones being replaced
        score = Score.objects.select_related("sheet__unit", "criterion").get(pk=score.pk)
        if cy.status not in APPRAISAL_OPEN:
            raise ServiceError(
                _("Chỉ điều chỉnh điểm trong bước thẩm định hoặc giải trình (hiện tại: %(s)s).")
                % {"s": cy.get_status_display()}
            )
        if appraises_own_sheet(actor, score.sheet):
            raise ServiceError(
                _(
                    "Không tự thẩm định phiếu chấm điểm của đơn vị mình: phiếu của %(unit)s do đơn vị tổ "
                    "chức khối thẩm định."
                )
                % {"unit": score.sheet.unit}
            )
        c = score.criterion
        number = _decimal(points, _("Điểm sau thẩm định"), "points")
        if number is None:
            raise ServiceError(_("Cần ghi điểm sau thẩm định."), field="points")
        top = c.max_points or Decimal(0)
        if c.kind == CriterionKind.TARGET and c.cap_ratio and c.cap_ratio > 1:
            top = scoring.q(top * c.cap_ratio)
        if number < 0 or number > top:
            raise ServiceError(
                _("Điểm tiêu chí %(code)s phải từ 0 đến %(max)s.")
                % {"code": c.code, "max": scoring.fmt(top)},
                field="points",
            )
        number = scoring.q(number)
        old = score.points
        if old == number:
            raise ServiceError(_("Điểm không thay đổi."), field="points")
        late = cy.explain_deadline is not None and timezone.localdate() > cy.explain_deadline
        if cy.status == YearStatus.EXPLANATION and late and number < (old or Decimal(0)):
            raise ServiceError(  # the member could no longer answer it
                _(
                    "Đã quá hạn giải trình (%(day)s): không hạ điểm thêm được, đơn vị không còn giải "
                    "trình được."
                )
                % {"day": cy.explain_deadline.strftime("%d/%m/%Y")},
                field="points",
            )
        changed = Score.objects.filter(pk=score.pk, version=version).update(
            points=number, version=version + 1
        )
        if not changed:
            raise ServiceError(_("Điểm này vừa được người khác điều chỉnh. Tải lại trang để xem điểm mới."))
        row = Adjustment.objects.create(
            score=score, old_points=old, new_points=number, reason=reason, by=actor
        )
        _recount(Sheet.objects.select_related("cluster_year__cluster").get(pk=score.sheet_id))
        audit(
            actor,
            "score.adjust",
            score,
            unit_id=score.sheet.unit_id,
            object_repr=f"{score.sheet.unit} — {c.code}",
            changes={"points": [old, number], "reason": reason},
        )
    return row


def adjustment_explain(*, actor, adjustment_id: int, text: str) -> Adjustment:
    """The member's answer to an adjustment, during the explanation round, before its deadline."""
    row = (
        Adjustment.objects.select_related("score__sheet__unit", "score__criterion")
        .filter(pk=adjustment_id)
        .first()
    )
    if row is None:
        raise ServiceError(_("Không có điều chỉnh này."))
    require_perm(actor, "clusters.score", row.score.sheet)
    text = _reason(text, _("nội dung giải trình"))
    with transaction.atomic():
        cy = _locked_year(row.score.sheet.cluster_year_id)
        if cy.status not in EXPLANATION_OPEN:
            raise ServiceError(_("Chỉ giải trình khi cụm mở vòng giải trình."))
        if cy.explain_deadline and timezone.localdate() > cy.explain_deadline:
            raise ServiceError(
                _("Đã quá hạn giải trình (%(day)s).") % {"day": cy.explain_deadline.strftime("%d/%m/%Y")}
            )
        row = Adjustment.objects.select_for_update().get(pk=row.pk)
        old = row.explanation
        row.explanation, row.explained_by, row.explained_at = text, actor, timezone.now()
        row.save(update_fields=["explanation", "explained_by", "explained_at"])
        audit(
            actor,
            "score.explain",
            row,
            unit_id=row.score.sheet.unit_id,
            object_repr=f"{row.score.sheet.unit} — {row.score.criterion.code}",
            changes={"explanation": [old, text]},
        )
        from tdkt.clusters.rules import head_users

        notify(
            users=head_users(cy),
            kind="clusters.explain",
            title=_("%(unit)s giải trình điểm tiêu chí %(code)s")
            % {"unit": row.score.sheet.unit, "code": row.score.criterion.code},
            url=reverse("clusters:year_detail", args=[cy.pk]),
            dedupe_key=f"clusters.explain:{row.pk}:{int(row.explained_at.timestamp())}",
        )
    return row


# ---------------------------------------------------------------------------------------------- ranking


def _rank(cy: ClusterYear) -> list[Standing]:
    """The ranking from the locked sheets, with the tie-break rules; proposals by the regulation's numbers:
    the first `bloc.flag_per_cluster` for the ministry's flag, the next `bloc.bang_khen_per_cluster` for
    Bằng khen. A tie the rules cannot break across a boundary leaves the tied members unproposed for the
    higher award: the conference decides by its vote."""
    sheets = list(cy.sheets.select_related("unit"))
    entries = [
        scoring.Entry(
            unit_id=s.unit_id,
            total=s.total,
            bonus=s.bonus,
            deduction=s.deduction,
            self_gap=abs(s.self_total - s.total),
        )
        for s in sheets
    ]
    placed = scoring.rank(entries, cy.tie_break)
    flags = int(rulebook.setting_value("bloc.flag_per_cluster", cy.year) or 0)
    certificates = int(rulebook.setting_value("bloc.bang_khen_per_cluster", cy.year) or 0)
    Standing.objects.filter(cluster_year=cy).delete()
    rows = []
    for p in placed:
        award = ""
        # a member's whole tie group must fit under a line: a tie across the flag's line leaves the tied
        # members proposed for Bằng khen, and the conference gives the flag (standing_propose)
        group_end = p.rank - 1 + sum(1 for o in placed if o.rank == p.rank)
        if group_end <= flags:
            award = ProposalAward.CO_THI_DUA_BO
        elif group_end <= flags + certificates:
            award = ProposalAward.BANG_KHEN_BO
        rows.append(
            Standing(
                cluster_year=cy,
                unit_id=p.entry.unit_id,
                total=p.entry.total,
                bonus=p.entry.bonus,
                deduction=p.entry.deduction,
                rank=p.rank,
                tied=p.tied,
                proposed_award=award,
            )
        )
    return Standing.objects.bulk_create(rows)


def _check_quota(cy: ClusterYear, row: Standing, award: str) -> None:
    """The regulation's numbers: the ministry's flag for at most `bloc.flag_per_cluster` members among the
    first places, Bằng khen for at most `bloc.bang_khen_per_cluster` among the next; the Government's flag
    is the bloc's choice among the clusters' leaders (selectors.gov_flag_candidates), not a cluster's."""
    if not award or award == row.proposed_award:
        return
    if award == ProposalAward.CO_THI_DUA_CP:
        raise ServiceError(
            _("Cờ thi đua của Chính phủ được xét trong toàn khối, không đề nghị từ một cụm."), field="award"
        )
    flags = int(rulebook.setting_value("bloc.flag_per_cluster", cy.year) or 0)
    certificates = int(rulebook.setting_value("bloc.bang_khen_per_cluster", cy.year) or 0)
    limit, last = (
        (flags, flags) if award == ProposalAward.CO_THI_DUA_BO else (certificates, flags + certificates)
    )
    if row.rank > last:
        raise ServiceError(
            _("%(unit)s xếp hạng %(rank)s: “%(award)s” chỉ đề nghị cho %(n)s đơn vị dẫn đầu.")
            % {"unit": row.unit, "rank": row.rank, "award": ProposalAward(award).label, "n": last},
            field="award",
        )
    taken = cy.standings.filter(proposed_award=award).exclude(pk=row.pk).count()
    if taken >= limit:
        raise ServiceError(
            _("Đã đủ %(n)s đơn vị được đề nghị “%(award)s”: bỏ đề nghị của một đơn vị trước.")
            % {"n": limit, "award": ProposalAward(award).label},
            field="award",
        )


def standing_propose(*, actor, standing_id: int, award: str) -> Standing:
    """Change what a member is proposed for before the conference votes (a tie the rules could not break,
    the conference's agreement): the award, or none."""
    row = Standing.objects.select_related("unit").filter(pk=standing_id).first()
    if row is None:
        raise ServiceError(_("Không có dòng xếp hạng này."))
    if award and award not in ProposalAward.values:
        raise ServiceError(_("Hình thức đề nghị không hợp lệ."), field="award")
    with transaction.atomic():
        cy = _locked_year(row.cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        if cy.status != YearStatus.RANKED or cy.meeting_id:
            raise ServiceError(
                _("Chỉ đổi đề nghị sau khi xếp hạng và trước khi chuẩn bị Hội nghị biểu quyết.")
            )
        _check_quota(cy, row, award)
        old = row.proposed_award
        row.proposed_award = award
        row.save(update_fields=["proposed_award"])
        audit(
            actor,
            "standing.propose",
            row,
            unit_id=row.unit_id,
            object_repr=f"{row.unit} — {cy}",
            changes={"award": [old, award]},
        )
    return row


def conference_prepare(
    *,
    actor,
    cluster_year_id: int,
    starts_at: datetime.datetime,
    place: str,
    representatives: dict[int, int] | None = None,
):
    """The year-end conference of the cluster: a council of one representative per member (the member's
    first leader unless given), hosted by the head, and a meeting whose agenda is the ranking and each
    proposal. The ballot, the attendance and the count are the councils app's; its close records the vote
    here (record_conference)."""
    from tdkt.councils.services import AgendaItem, conference_create
    from tdkt.org.models import Person

    with transaction.atomic():
        cy = _locked_year(cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        if cy.status != YearStatus.RANKED:
            raise ServiceError(_("Chuẩn bị Hội nghị sau khi đã xếp hạng."))
        if cy.meeting_id:
            raise ServiceError(_("Hội nghị của cụm năm %(year)s đã được chuẩn bị.") % {"year": cy.year})
        rows = members(cy)
        chosen = dict(representatives or {})
        people = []
        for m in rows:
            pid = chosen.get(m.unit_id)
            q = Person.objects.filter(active=True, current_unit__path__startswith=m.unit.path)
            person = (
                q.filter(pk=pid).first()
                if pid
                else q.order_by("-leader", "current_unit__depth", "sort_key").first()
            )
            if person is None:
                raise ServiceError(_("%(unit)s chưa có người đại diện dự Hội nghị.") % {"unit": m.unit})
            people.append((person.pk, m.role == BlocRole.HEAD))
        head = next(m for m in rows if m.role == BlocRole.HEAD)
        standings = list(cy.standings.select_related("unit").order_by("rank", "unit__path"))
        items = [
            AgendaItem(
                key=f"clusters.ranking:{cy.pk}",
                label=_("Thông qua kết quả chấm điểm, xếp hạng của cụm năm %(year)s") % {"year": cy.year},
                order=0,
            )
        ]
        for i, s in enumerate((s for s in standings if s.proposed_award), start=1):
            items.append(
                AgendaItem(
                    key=f"clusters.standing:{s.pk}",
                    label=_("%(unit)s (hạng %(rank)s, %(points)s điểm)")
                    % {"unit": s.unit, "rank": s.rank, "points": scoring.fmt(s.total)},
                    group=ProposalAward(s.proposed_award).label,
                    order=i,
                )
            )
        council, meeting = conference_create(
            actor=actor,
            unit_id=head.unit_id,
            name=_("Hội nghị tổng kết %(cluster)s năm %(year)s") % {"cluster": cy.cluster, "year": cy.year},
            starts_at=starts_at,
            place=place,
            people=people,
            items=items,
        )
        cy.council, cy.meeting = council, meeting
        cy.save(update_fields=["council", "meeting", "updated_at"])
        audit(
            actor,
            "cluster_year.conference",
            cy,
            unit_id=cy.cluster.bloc.owner_unit_id,
            changes={"meeting": meeting.pk, "items": len(items)},
        )
    return meeting


def record_conference(ballot, results) -> int:
    """Close-listener of the ballots: the conference's vote on the ranking and on each proposal. When the
    ranking item is passed, the year moves to `voted`."""
    years: set[int] = set()
    standings = {}
    for r in results:
        prefix, _sep, pk = r.key.partition(":")
        if not pk.isdigit():
            continue
        if prefix == "clusters.standing":
            standings[int(pk)] = r
        elif prefix == "clusters.ranking" and r.passed:
            years.add(int(pk))
    # the votes of this ballot's own conference only (the keys name the cluster year and its standings)
    mine = ClusterYear.objects.filter(meeting_id=ballot.meeting_id)
    rows = list(
        Standing.objects.filter(pk__in=list(standings), cluster_year__in=mine).select_related("cluster_year")
    )
    # a later ballot (a re-vote) once the results are published or the proposals are a dossier changes
    # nothing here: what was published and sent stays as it was voted (raising would leave the ballot open)
    done = {
        s.cluster_year
        for s in rows
        if s.cluster_year.dossier_id or s.cluster_year.status == YearStatus.PUBLISHED
    }
    for cy in done:
        audit(
            None,
            "cluster_year.vote_ignored",
            cy,
            unit_id=cy.cluster.bloc.owner_unit_id,
            changes={"ballot": ballot.pk, "status": cy.status, "dossier": cy.dossier_id},
        )
    rows = [s for s in rows if s.cluster_year not in done]
    for s in rows:
        r = standings[s.pk]
        s.votes_agree, s.votes_base, s.passed = r.agree, r.base, r.passed
    Standing.objects.bulk_update(rows, ["votes_agree", "votes_base", "passed"])
    for cy in mine.select_for_update().filter(pk__in=years, status=YearStatus.RANKED):
        old = cy.status
        cy.status = next_status(old, YearAction.RECORD_VOTE)
        cy.version += 1
        cy.save(update_fields=["status", "version", "updated_at"])
        audit(
            None,
            "cluster_year.record_vote",
            cy,
            unit_id=cy.cluster.bloc.owner_unit_id,
            changes={"status": [old, cy.status], "ballot": ballot.pk},
        )
    return len(rows)


def proposals_to_dossier(*, actor, cluster_year_id: int):
    """The proposals the conference passed, as one dossier of the head unit to the ministry (the dossier
    flow then takes them: papers, the head unit's approval, the ministry's appraisal), each collective's
    eligibility checked as for any nomination. One dossier per cluster year."""
    from tdkt.dossiers.services import bloc_dossier_create

    with transaction.atomic():
        cy = _locked_year(cluster_year_id)
        require_perm(actor, "clusters.lead", cy)
        if cy.status not in (YearStatus.VOTED, YearStatus.PUBLISHED):
            raise ServiceError(_("Lập hồ sơ đề nghị sau khi Hội nghị đã biểu quyết."))
        if cy.dossier_id:
            raise ServiceError(_("Đã lập hồ sơ đề nghị cho cụm năm %(year)s.") % {"year": cy.year})
        passed = list(
            cy.standings.filter(
                passed=True, proposed_award__in=[ProposalAward.CO_THI_DUA_BO, ProposalAward.BANG_KHEN_BO]
            )
            .select_related("unit")
            .order_by("rank")
        )
        if not passed:
            raise ServiceError(_("Hội nghị chưa thông qua đề nghị nào."))
        head = BlocMembership.objects.filter(
            cluster_id=cy.cluster_id, year=cy.year, role=BlocRole.HEAD
        ).first()
        dossier = bloc_dossier_create(
            actor=actor,
            unit_id=head.unit_id,
            year=cy.year,
            title=_("Đề nghị khen thưởng %(cluster)s năm %(year)s")
            % {"cluster": cy.cluster, "year": cy.year},
            nominations=[
                (s.unit_id, s.proposed_award, f"{s.votes_agree}/{s.votes_base}" if s.votes_base else "")
                for s in passed
            ],
        )
        cy.dossier = dossier
        cy.save(update_fields=["dossier", "updated_at"])
        audit(
            actor,
            "cluster_year.dossier",
            cy,
            unit_id=cy.cluster.bloc.owner_unit_id,
            changes={"dossier": dossier.pk, "nominations": len(passed)},
        )
    return dossier
