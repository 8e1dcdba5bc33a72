"""The member's own ballot papers ("Phiếu bầu của tôi"): the paper, its confirmation, the vote."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from tdkt.core.access import authenticated
from tdkt.core.errors import ServiceError
from tdkt.core.text import is_digits
from tdkt.councils import selectors, services
from tdkt.councils.enums import BallotMode, BallotStatus, Choice
from tdkt.councils.forms import (
    VoteForm,
)
from tdkt.councils.models import Ballot, CouncilMember


@never_cache
@require_GET
@authenticated
def my_ballots(request):
    context = {
        "ballots": selectors.my_ballots(request.user),
        "breadcrumbs": [(_("Phiếu bầu của tôi"), None)],
    }
    return render(request, "councils/my_ballots.html", context)


def _voter_ballot(request, pk: int) -> tuple[Ballot, CouncilMember]:
    """The ballot and the user's membership of its council; 404 for anyone who is not a member of it
    (the same answer as a ballot that does not exist)."""
    try:
        ballot = selectors.ballot_for_voter(pk)
    except Ballot.DoesNotExist:
        raise Http404 from None
    member = selectors.member_of(request.user, ballot.meeting.council_id)
    if member is None:
        raise Http404
    return ballot, member


def _problem(ballot: Ballot, state: selectors.VoterState, lines) -> str | None:
    """Why this member has no ballot paper to fill in now (the service says the same when asked)."""
    if state.voted:
        return str(services.ballots.ALREADY_VOTED)
    if ballot.status != BallotStatus.OPEN:
        return _("Phiếu bầu đã đóng.")
    if ballot.mode != BallotMode.ELECTRONIC:
        return _("Lần bỏ phiếu này dùng phiếu giấy tại phòng họp.")
    if not state.member.votes:
        return _("Thư ký Hội đồng không có quyền biểu quyết.")
    if not state.on_roll:
        return _("Bạn không có tên trong danh sách thành viên có mặt khi mở phiếu, nên không bỏ phiếu được.")
    if ballot.closes_at and ballot.closes_at <= timezone.now():
        return _("Đã hết thời hạn bỏ phiếu.")
    if all(line.recused for line in lines):
        return str(services.ballots.ONLY_OWN_LINES)
    return None


def _posted_choices(post) -> dict[int, str] | None:
    """Every item_* field sent, so that a line forged in the page reaches the service and is refused
    rather than ignored; None when a field name is not an item id at all."""
    choices = {}
    for key, value in post.items():
        if key.startswith("item_"):
            suffix = key.removeprefix("item_")
            if not is_digits(suffix):
                return None
            choices[int(suffix)] = value
    return choices


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@authenticated
def ballot_vote(request, pk: int):
    """The member's ballot paper: one radio group per item; then a confirmation page; then the vote. The
    choices travel only in the requests: nothing of them is kept in the session, the messages or logs."""
    ballot, member = _voter_ballot(request, pk)
    context = {"ballot": ballot, "meeting": ballot.meeting,
               "breadcrumbs": [(_("Phiếu bầu của tôi"), reverse("councils:my_ballots")),
                               (_("Bỏ phiếu lần %(n)s") % {"n": ballot.number}, None)]}  # fmt: skip
    posting = request.method == "POST" and "edit" not in request.POST
    if posting and "confirm" in request.POST:
        # the vote itself: the service checks everything again inside its transaction
        choices = _posted_choices(request.POST)
        try:
            if choices is None:
                raise ServiceError(_("Nội dung không thuộc phiếu bầu này."))
            services.ballot_cast(actor=request.user, ballot_id=ballot.pk, choices=choices)
        except ServiceError as exc:
            context.update(problem=exc.message, refused=True)
            return render(request, "councils/vote.html", context)
        messages.success(request, _("Đã ghi nhận phiếu bầu của bạn. Cảm ơn bạn đã bỏ phiếu."))
        return redirect("councils:my_ballots")
    state = selectors.voter_state(ballot, member)
    lines = selectors.voting_sheet(ballot, state.member)
    form = VoteForm(
        request.POST if posting else None,
        initial={k: v for k, v in request.POST.items() if k.startswith("item_")}
        if request.method == "POST"
        else None,
        lines=lines,
        allow_abstain=ballot.allow_abstain,
    )
    context.update(form=form, problem=_problem(ballot, state, lines))
    if posting and context["problem"] is None and form.is_valid():
        labels = dict(Choice.choices)
        context["review"] = [
            (line, None if line.recused else labels.get(form.cleaned_data.get(f"item_{line.item.pk}")))
            for line in lines
        ]
        context["hidden"] = [(f"item_{k}", v) for k, v in form.choices().items()]
        return render(request, "councils/vote_confirm.html", context)
    return render(request, "councils/vote.html", context)
