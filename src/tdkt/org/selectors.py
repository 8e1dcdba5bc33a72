"""Read paths of the organisation, always scoped, with a number of queries that does not grow with rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from tdkt.accounts.scope import Scope, scope_for
from tdkt.core.search import word_start_q
from tdkt.core.text import fold
from tdkt.org.enums import Rating, UnitKind
from tdkt.org.models import (
    AwardRecord,
    Collective,
    Discipline,
    Evaluation,
    Initiative,
    Leave,
    Person,
    Position,
    Unit,
)

RATING_ORDER = [Rating.HTXS, Rating.HTT, Rating.HT, Rating.KHT]
KIND_ORDER = {kind: i for i, kind in enumerate(UnitKind.values)}


def _sibling_key(u: Unit):
    return (u.sort_order, KIND_ORDER.get(u.kind, 99), fold(u.name), u.pk)


def last_year() -> int:
    """The year whose review is the latest complete one (ratings are made at year end)."""
    return timezone.localdate().year - 1


# --- units ---------------------------------------------------------------------------------------


def units_in_scope(user, action: str = "org.view_unit") -> QuerySet[Unit]:
    return scope_for(user, action).filter_units(Unit.objects.all()).order_by("path")


def unit_tree(user) -> list[Unit]:
    """The units the user may see, in tree order, each with `people_count` (its own active people)
    and `subtree_count` (with all its sub-units), `tree_depth` (relative indentation) and `has_children`.

    One query: the head-count is an aggregate joined to the unit rows.
    """
    rows = list(units_in_scope(user).annotate(people_count=Count("people", filter=Q(people__active=True))))
    by_path = {u.path: u for u in rows}
    for u in rows:
        u.subtree_count = 0
    for u in rows:
        parts = u.path.strip("/").split("/")
        # add this unit's people to itself and to every visible ancestor
        for i in range(1, len(parts) + 1):
            ancestor = by_path.get("/" + "/".join(parts[:i]) + "/")
            if ancestor is not None:
                ancestor.subtree_count += u.people_count
    return tree_order(rows)


def tree_order(rows: list[Unit]) -> list[Unit]:
    """`rows` in the order of the units tree (each unit followed by its sub-units; siblings by explicit
    order, kind, then name without accents), with `tree_depth` relative to the shallowest shown and
    `has_children`."""
    by_path = {u.path: u for u in rows}
    children: dict[str | None, list[Unit]] = defaultdict(list)
    for u in rows:
        parts = u.path.strip("/").split("/")
        parent_path = "/" + "/".join(parts[:-1]) + "/" if len(parts) > 1 else None
        children[parent_path if parent_path in by_path else None].append(u)
    for siblings in children.values():
        siblings.sort(key=_sibling_key)
    units: list[Unit] = []

    def visit(u: Unit, depth: int) -> None:
        u.tree_depth = depth
        u.has_children = bool(children.get(u.path))
        units.append(u)
        for child in children.get(u.path, []):
            visit(child, depth + 1)

    for top in children.get(None, []):
        visit(top, 0)
    return units


def unit_labels(rows: list[Unit]) -> dict[int, str]:
    """Unit id → a name that tells units apart in a list: a unit below the ministry's direct units
    carries the name of the direct unit it belongs to ("Văn phòng Sở — Sở Công Thương Điện Biên"),
    as many provincial departments have a "Văn phòng Sở"."""
    by_path = {u.path: u for u in rows}
    labels = {}
    for u in rows:
        parts = u.path.strip("/").split("/")
        top = by_path.get("/" + "/".join(parts[:2]) + "/") if len(parts) > 2 else None
        labels[u.pk] = f"{u.name} — {top.name}" if top is not None else u.name
    return labels


@dataclass
class UnitPage:
    unit: Unit
    ancestors: list[Unit]
    children: list[Unit]
    people_direct: int
    people_subtree: int
    collectives: list[Collective]
    rating_year: int | None
    rating_counts: list[tuple[str, str, int]]  # (code, label, count)
    rating_total: int
    collective_awards: list[AwardRecord]


def unit_page(unit: Unit) -> UnitPage:
    """Everything the unit page shows, in a fixed handful of queries."""
    ancestors = list(Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("depth"))
    children = sorted(
        unit.children.annotate(people_count=Count("people", filter=Q(people__active=True))), key=_sibling_key
    )
    counts = Person.objects.filter(active=True, current_unit__path__startswith=unit.path).aggregate(
        subtree=Count("id"), direct=Count("id", filter=Q(current_unit=unit))
    )
    collectives = list(unit.collectives.order_by("kind", "name"))
    subtree_evals = Evaluation.objects.filter(
        person__isnull=False, person__active=True, person__current_unit__path__startswith=unit.path
    )
    latest = subtree_evals.order_by("-year").values_list("year", flat=True)[:1]
    rows = (
        subtree_evals.filter(year=Subquery(latest))
        .values("year", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_rating = {}
    rating_year = None
    for row in rows:
        by_rating[row["rating"]] = row["n"]
        rating_year = row["year"]
    rating_counts = [(r.value, r.label, by_rating.get(r.value, 0)) for r in RATING_ORDER]
    awards = list(
        AwardRecord.objects.filter(collective__unit=unit)
        .select_related("collective")
        .order_by("-last_year", "-decided_on")
    )
    return UnitPage(
        unit=unit,
        ancestors=ancestors,
        children=children,
        people_direct=counts["direct"],
        people_subtree=counts["subtree"],
        collectives=collectives,
        rating_year=rating_year,
        rating_counts=rating_counts,
        rating_total=sum(by_rating.values()),
        collective_awards=awards,
    )


# --- people --------------------------------------------------------------------------------------


@dataclass
class PersonFilter:
    q: str = ""
    unit: Unit | None = None
    include_subtree: bool = True
    gender: str = ""
    employment: str = ""
    direct_worker: bool | None = None
    leader: bool | None = None
    active: bool | None = True
    rating: str = ""
    rating_year: int | None = None


def search_people(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """People whose name (or staff code) matches `q` the way every list searches: each folded word
    begins a word of the name, a word with a digit matches anywhere in the code (core.search)."""
    return qs.filter(word_start_q("search_text", q)) if q else qs


def people_for(user, f: PersonFilter, *, action: str = "org.view_person") -> QuerySet[Person]:
    """People the user may see for `action`, filtered, in Vietnamese name order, with the unit joined
    and the rating of `f.rating_year` annotated as `year_rating` (one query per page)."""
    scope = scope_for(user, action)
    qs = scope.filter(Person.objects.all(), "current_unit", person_field="pk")
    qs = search_people(qs, f.q)
    if f.unit is not None:
        if f.include_subtree:
            qs = qs.filter(current_unit__path__startswith=f.unit.path)
        else:
            qs = qs.filter(current_unit=f.unit)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.employment:
        qs = qs.filter(employment=f.employment)
    if f.direct_worker is not None:
        qs = qs.filter(direct_worker=f.direct_worker)
    if f.leader is not None:
        qs = qs.filter(leader=f.leader)
    if f.active is not None:
        qs = qs.filter(active=f.active)
    year = f.rating_year or last_year()
    rating_of_year = Evaluation.objects.filter(person=OuterRef("pk"), year=year).values("rating")[:1]
    qs = qs.annotate(year_rating=Subquery(rating_of_year))
    if f.rating:
        qs = qs.filter(evaluations__year=year, evaluations__rating=f.rating)
    return qs.select_related("current_unit").order_by("sort_key", "id")


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    return "•" * (len(value) - 3) + value[-3:]


@dataclass
class YearRow:
    year: int
    evaluation: Evaluation | None = None
    disciplines: list = field(default_factory=list)
    leaves: list = field(default_factory=list)
    initiatives: list = field(default_factory=list)
    awards: list = field(default_factory=list)


def prefetch_profile(person: Person) -> Person:
    """Load everything the profile shows onto `person`: one query per relation, whatever the years."""
    prefetch_related_objects(
        [person],
        Prefetch("positions", queryset=Position.objects.select_related("unit").order_by("-start", "-id")),
        Prefetch("evaluations", queryset=Evaluation.objects.order_by("-year")),
        Prefetch("disciplines", queryset=Discipline.objects.order_by("-decided_on")),
        Prefetch("leaves", queryset=Leave.objects.order_by("start")),
        Prefetch("initiatives", queryset=Initiative.objects.order_by("title")),
        Prefetch("awards", queryset=AwardRecord.objects.order_by("-last_year", "-decided_on", "-id")),
    )
    return person


def history_by_year(person: Person) -> list[YearRow]:
    """One row per year with any fact, newest first; reads only the prefetched relations."""
    rows: dict[int, YearRow] = {}

    def row(year: int) -> YearRow:
        if year not in rows:
            rows[year] = YearRow(year=year)
        return rows[year]

    for ev in person.evaluations.all():
        row(ev.year).evaluation = ev
    for d in person.disciplines.all():
        row(d.year).disciplines.append(d)
    for leave in person.leaves.all():
        row(leave.year).leaves.append(leave)
    for ini in person.initiatives.all():
        row(ini.year).initiatives.append(ini)
    for award in person.awards.all():
        row(award.last_year).awards.append(award)
    return [rows[y] for y in sorted(rows, reverse=True)]


# --- dashboard -----------------------------------------------------------------------------------


def _count_people(scope: Scope) -> int:
    return scope.filter(Person.objects.filter(active=True), "current_unit", person_field="pk").count()


def dashboard_cards(request) -> list[dict]:
    """The organisation's cards on the dashboard, counted within the user's scope (core calls this)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    user = request.user
    cards: list[dict] = []
    year = last_year()
    unit_scope = scope_for(user, "org.view_unit")
    person_scope = scope_for(user, "org.view_person")
    if unit_scope.units_only:
        cards.append(
            {
                "label": _("Đơn vị"),
                "value": unit_scope.filter_units(Unit.objects.all()).count(),
                "url": reverse("org:unit_tree"),
                "icon": "diagram-3",
            }
        )
        cards.append(
            {
                "label": _("Tập thể"),
                "value": unit_scope.filter(Collective.objects.filter(active=True)).count(),
                "url": None,
                "icon": "people",
            }
        )
    if person_scope.units_only:
        cards.append(
            {
                "label": _("Cán bộ đang công tác"),
                "value": _count_people(person_scope),
                "url": reverse("org:person_list"),
                "icon": "person-badge",
            }
        )
        htxs = person_scope.filter(
            Person.objects.filter(active=True, evaluations__year=year, evaluations__rating=Rating.HTXS),
            "current_unit",
        ).count()
        cards.append(
            {
                "label": _("Hoàn thành xuất sắc nhiệm vụ năm %(year)s") % {"year": year},
                "value": htxs,
                "url": reverse("org:person_list") + f"?rating=htxs&rating_year={year}",
                "icon": "star",
            }
        )
        awards = person_scope.filter(
            AwardRecord.objects.filter(last_year=year, revoked=False), "unit"
        ).count()
        cards.append(
            {
                "label": _("Khen thưởng năm %(year)s") % {"year": year},
                "value": awards,
                "url": None,
                "icon": "award",
            }
        )
    if not scope_for(user, "org.review_identity").empty:
        cards.append(
            {
                "label": _("Số định danh chờ xác minh"),
                "value": identity_reviews_for(user).count(),
                "url": reverse("org:identity_list"),
                "icon": "person-vcard",
            }
        )
    return cards


def own_summary(user) -> dict | None:
    """A staff member's own record, for the dashboard: unit, position, recent ratings and awards."""
    person = Person.objects.filter(user=user).select_related("current_unit").first()
    if person is None:
        return None
    evaluations = list(Evaluation.objects.filter(person=person).order_by("-year")[:3])
    awards = list(AwardRecord.objects.filter(person=person).order_by("-last_year", "-decided_on")[:5])
    return {"person": person, "evaluations": evaluations, "awards": awards}


def dashboard_panels(request) -> list[dict]:
    """The user's own record as a panel, for anyone linked to a person (the staff member's landing)."""
    summary = own_summary(request.user)
    if summary is None:
        return []
    return [{"template": "org/person_summary_panel.html", "context": summary}]


def identity_reviews_for(user, *, status: str = "open") -> QuerySet:
    """Reviews whose two records are both inside the user's `org.review_identity` scope."""
    from tdkt.org.models import IdentityReview

    scope = scope_for(user, "org.review_identity")
    qs = IdentityReview.objects.filter(status=status) if status else IdentityReview.objects.all()
    qs = scope.filter(qs, "holder__current_unit")
    if not scope.everything:
        qs = qs.filter(Q(person__isnull=True) | scope.unit_q("person__current_unit"))
    return qs.select_related(
        "person__current_unit", "holder__current_unit", "requested_by", "decided_by"
    ).order_by("-created_at", "-id")


def identity_review_facts(people: list) -> dict[int, dict[str, int]]:
    """Per person: how many yearly ratings, awards and posts are recorded (three queries)."""
    from django.db.models import Count

    ids = [p.pk for p in people if p is not None]
    facts: dict[int, dict[str, int]] = {pk: {"evaluations": 0, "awards": 0, "positions": 0} for pk in ids}
    for model, key in ((Evaluation, "evaluations"), (AwardRecord, "awards"), (Position, "positions")):
        for person_id, n in (
            model.objects.filter(person_id__in=ids)
            .values("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        ):
            facts[person_id][key] = n
    return facts
