"""What the councils screens share: object getters (404 for what does not exist), messages, file answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from tdkt.core.errors import ServiceError
from tdkt.core.http import attachment
from tdkt.councils import selectors
from tdkt.councils.models import Ballot, Council, CouncilMember, Meeting

KINDS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _council(request, pk: int, **_kwargs) -> Council:
    return get_object_or_404(Council.objects.select_related("unit"), pk=pk)


def _meeting(request, pk: int, **_kwargs) -> Meeting:
    try:
        return selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _ballot(request, pk: int, **_kwargs) -> Ballot:
    return get_object_or_404(
        Ballot.objects.select_related(
            "meeting", "meeting__council", "meeting__council__unit", "meeting__chair__person",
            "meeting__secretary__person", "replaces",
        ),
        pk=pk,
    )  # fmt: skip


def _member_council(request, pk: int, **_kwargs) -> Council:
    member = get_object_or_404(CouncilMember.objects.select_related("council__unit"), pk=pk)
    request.tdkt_member = member
    return member.council


def _error(request, exc: ServiceError) -> None:
    messages.error(request, exc.message)


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _file(data: bytes, kind: str, stem: str) -> HttpResponse:
    return attachment(data, f"{stem}.{kind}", KINDS[kind])
