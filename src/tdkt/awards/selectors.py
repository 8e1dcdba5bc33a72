"""Read paths of decisions, scoped to the user's units."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from tdkt.accounts.scope import scope_for
from tdkt.awards.models import Decision, DecisionLine


def decisions_for(user, *, year: int | None = None, status: str = "") -> QuerySet[Decision]:
    qs = scope_for(user, "awards.view_decision").filter(Decision.objects.all(), "issuer_unit")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("issuer_unit").annotate(line_count=Count("lines")).order_by("-year", "-created_at")
    )


def decision_lines(decision: Decision) -> list[DecisionLine]:
    return list(
        decision.lines.select_related("person", "collective", "unit", "award_record").order_by(
            "award_code", "collective_id", "person__sort_key", "order", "id"
        )
    )
