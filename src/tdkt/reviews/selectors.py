"""Read paths of the review: rounds in the user's scope, a round's candidates by page, a person's own
candidacies. Query counts do not grow with the rows shown."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from tdkt.accounts.scope import scope_for
from tdkt.reviews.models import Candidate, CandidateChange, ReviewRound
from tdkt.rulebook.engine.codes import AWARD_CODES


def rounds_for(user, *, year: int | None = None) -> QuerySet[ReviewRound]:
    qs = scope_for(user, "reviews.view").filter(ReviewRound.objects.all(), "unit")
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("unit")
        .annotate(candidate_count=Count("candidates", filter=Q(candidates__included=True)))
        .order_by("-year", "unit__path", "-created_at")
    )


def candidates_of(
    review: ReviewRound, *, award: str = "", included: bool | None = True
) -> QuerySet[Candidate]:
    qs = review.candidates.all()
    if award:
        qs = qs.filter(award_code=award)
    if included is not None:
        qs = qs.filter(included=included)
    return qs.select_related("person", "collective", "unit").order_by(
        award_rank(), "collective_id", "sort_key", "id"
    )


def award_rank() -> Case:
    """The award codes in the catalogue's order (Lao động tiên tiến first), for ordering lists."""
    return Case(
        *(When(award_code=code, then=Value(i)) for i, code in enumerate(AWARD_CODES)),
        default=Value(len(AWARD_CODES)),
        output_field=IntegerField(),
    )


def award_counts(review: ReviewRound) -> dict[str, dict[str, int]]:
    """Per award code: included, excluded, needing a vote, passed (one query)."""
    rows = (
        review.candidates.order_by()
        .values("award_code")
        .annotate(
            n_in=Count("id", filter=Q(included=True)),
            n_out=Count("id", filter=Q(included=False)),
            n_vote=Count("id", filter=Q(included=True, needs_vote=True)),
            n_passed=Count("id", filter=Q(vote_result="passed")),
        )
    )
    return {
        r["award_code"]: {
            "included": r["n_in"],
            "excluded": r["n_out"],
            "vote": r["n_vote"],
            "passed": r["n_passed"],
        }
        for r in rows
    }


def changes_of(review: ReviewRound) -> list[CandidateChange]:
    return list(
        CandidateChange.objects.filter(candidate__round=review)
        .select_related("candidate__person", "candidate__collective", "actor")
        .order_by("-at", "-id")[:200]
    )


def own_candidacies(person_id: int) -> list[Candidate]:
    """Every candidacy of one person, newest round first, with its reasons and result."""
    return list(
        Candidate.objects.filter(person_id=person_id)
        .select_related("round__unit", "unit")
        .prefetch_related("changes")
        .order_by("-round__year", "award_code")
    )


def included_person_counts(review: ReviewRound) -> dict[str, int]:
    """Included candidates per award code (one query): what the caps are computed on."""
    rows = review.candidates.filter(included=True).order_by().values("award_code").annotate(n=Count("id"))
    return {r["award_code"]: r["n"] for r in rows}
