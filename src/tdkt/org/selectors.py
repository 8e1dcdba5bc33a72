"""Read paths of the organisation, always scoped, with a number of queries that does not grow with rows."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from tdkt.accounts.scope import Scope, scope_for
from tdkt.core import search as core_search
from tdkt.core.search import MAX_QUERY_LENGTH, Vocabulary, best_matches, match_q, ranked, search_words
from tdkt.core.text import clean, fold
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


def unit_labels_for(units, scope: Scope) -> dict[int, str]:
    """`unit_labels` for just `units` (the units of one page of a list), with the direct units they
    belong to read in one query among the units of `scope`: the same labels as `unit_labels` over the
    whole scope, at a cost that does not grow with the scope."""
    top_of = {}
    for u in units:
        parts = u.path.strip("/").split("/")
        if len(parts) > 2:
            top_of[u.pk] = int(parts[1])
    tops = {}
    if top_of:
        ancestors = Unit.objects.filter(pk__in=sorted(set(top_of.values())))
        tops = dict(scope.filter_units(ancestors).values_list("pk", "name"))
    return {u.pk: f"{u.name} — {tops[top_of[u.pk]]}" if top_of.get(u.pk) in tops else u.name for u in units}


def search_units(scope: Scope, query: str, *, limit: int = 20, today=None) -> list[Unit]:
    """Units of `scope` (open on `today`) matching `query` the way a unit picker suggests them: a code
    equal to or beginning with the query, then names beginning with it, then names where every folded
    word of the query begins a word, then names containing it; top units first within each. Without a
    query, the top of the tree. Each with `label` (unit_labels_for). Units are a few thousand at most:
    their names are folded in Python (SQLite has no accent folding)."""
    today = today or timezone.localdate()
    qs = scope.filter_units(Unit.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=today)))
    words = fold(query).split()
    if not words:
        found = list(
            qs.only("id", "code", "name", "path", "depth").order_by("depth", "sort_order", "name")[:limit]
        )
    else:
        needle = " ".join(words)
        ranked = []
        for pk, code, name, depth in qs.values_list("pk", "code", "name", "depth").iterator(chunk_size=2000):
            folded_code = code.lower()
            folded_name = fold(name)
            name_words = folded_name.split()
            if folded_code == needle:
                rank = 0
            elif folded_code.startswith(needle):
                rank = 1
            elif folded_name.startswith(needle):
                rank = 2
            elif all(any(w.startswith(q) for w in name_words) for q in words):
                rank = 3
            elif needle in folded_name:
                rank = 4
            else:
                continue
            ranked.append((rank, depth, folded_name, pk))
        ranked.sort()
        ids = [pk for *_rest, pk in ranked[:limit]]
        by_id = Unit.objects.only("id", "code", "name", "path", "depth").in_bulk(ids)
        found = [by_id[pk] for pk in ids if pk in by_id]
    labels = unit_labels_for(found, scope)
    for u in found:
        u.label = labels[u.pk]
    return found


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


def search_people(qs: QuerySet[Person], q: str, *, fuzzy: bool = True) -> QuerySet[Person]:
    """People whose name (or staff code) matches `q` the way every search box searches (core.search):
    each folded word begins a word of the name, a word with a digit matches anywhere in the code; the
    best matches first (`search_rank`, then name order) — unless more than `core.search.RANK_ALL_CAP`
    match ("nguyen" matches a third of the country): those stay in name order, which an index serves
    page by page. When nothing in `qs` matches and `fuzzy`, the misspelt words are corrected against
    the names' vocabulary ("huonng" finds Hương)."""
    words = search_words(q)
    if not q or not q.strip():
        return qs
    if not words:
        return qs.none()
    typed = clean(q)
    cap = core_search.RANK_ALL_CAP
    matches = qs.filter(match_q(qs, words)).order_by().values("pk")[: cap + 1].count()
    if matches > cap:
        return qs.filter(match_q(qs, words))
    if matches or not fuzzy or (alternatives := corrected_words(words)) is None:
        return ranked(qs, words, name_field="full_name", typed=typed)
    best = [options[1] if len(options) > 1 else options[0] for options in alternatives]
    return ranked(qs, best, name_field="full_name", typed=typed, alternatives=alternatives)


# --- search across people, collectives and award records ----------------------------------------

VOCABULARY_CACHE_KEY = "tdkt.org.search_vocabulary"
VOCABULARY_TIMEOUT = 6 * 3600  # a full rebuild at least this often (names edited in place)
_vocabularies: dict[tuple, Vocabulary] = {}  # per process: the correction index of a cached word list


def _newest(model) -> tuple:
    """When the model's rows last changed: (the newest `updated_at`, as text, and that row's id), from
    the index on `updated_at` (org 0009). New rows and edited names both move it."""
    row = model.objects.order_by("-updated_at", "-id").values_list("updated_at", "id").first()
    return (row[0].isoformat(), row[1]) if row else ("", 0)


def _changed_since(model, stamp: tuple):
    if not stamp[0]:
        return model.objects.all()
    return model.objects.filter(updated_at__gte=datetime.fromisoformat(stamp[0]))


def _name_words(people: QuerySet[Person], collectives: QuerySet[Collective]) -> set[str]:
    values = set()
    for name in ("family_name", "middle_name", "given_name"):
        values.update(people.order_by().values_list(name, flat=True).distinct())
    values.update(collectives.order_by().values_list("name", flat=True).distinct())
    return {w for value in values for w in search_words(value)}


def search_vocabulary() -> Vocabulary:
    """The distinct folded words of every person's and collective's name (not scoped: the words only
    correct a query and list the words a prefix stands for; what is then found is scoped), kept in the
    cache. On each use it grows with the rows changed since (new people and edited names, read through
    the index on `updated_at`); it is rebuilt in full when the cache drops it, so words no name uses any
    more go at the latest after VOCABULARY_TIMEOUT."""
    person_stamp, collective_stamp = _newest(Person), _newest(Collective)
    stamp = (person_stamp, collective_stamp)
    cached = cache.get(VOCABULARY_CACHE_KEY)
    if cached is None or cached["stamp"] != stamp:
        old = cached["stamp"] if cached else None
        if old is not None and old[0][0] <= person_stamp[0] and old[1][0] <= collective_stamp[0]:
            # the rows changed since the last change already read (that one again: cheap and safe)
            words = set(cached["words"]) | _name_words(
                _changed_since(Person, old[0]), _changed_since(Collective, old[1])
            )
        else:
            words = _name_words(Person.objects.all(), Collective.objects.all())
        cached = {"stamp": stamp, "words": sorted(words)}
        cache.set(VOCABULARY_CACHE_KEY, cached, VOCABULARY_TIMEOUT)
    key = (stamp, len(cached["words"]))
    vocabulary = _vocabularies.get(key)
    if vocabulary is None:
        _vocabularies.clear()
        vocabulary = _vocabularies[key] = Vocabulary(cached["words"])
    return vocabulary


def corrected_words(words: list[str]) -> list[list[str]] | None:
    """Per query word: the word and, for a word of the query not in the names' vocabulary, its nearest
    words there. None when no word has a correction (the approximate search would find nothing new)."""
    vocabulary = search_vocabulary()
    alternatives = [[w, *vocabulary.corrections(w)] for w in words]
    return alternatives if any(len(options) > 1 for options in alternatives) else None


@dataclass
class SearchResults:
    query: str
    words: list[str]
    people: list[Person] = field(default_factory=list)
    collectives: list[Collective] = field(default_factory=list)
    awards: list[AwardRecord] = field(default_factory=list)
    more_people: bool = False  # more matches than shown
    more_collectives: bool = False
    corrections: dict[str, list[str]] = field(default_factory=dict)  # misspelt word -> words found instead

    @property
    def empty(self) -> bool:
        return not (self.people or self.collectives)


def _shown_corrections(alternatives, rows) -> dict[str, list[str]]:
    """The corrections that the shown rows contain: a word the user may not see is never named."""
    texts = [" " + r.search_text for r in rows]
    out = {}
    for word, *options in alternatives:
        used = [o for o in options if any(" " + o in text for text in texts)]
        if used:
            out[word] = used
    return out


# what the search page shows of a person and a collective found (and the folded text the corrections
# are named from): the rows read are narrow, not every column of the person and the unit
PERSON_SHOWN = ("code", "full_name", "active", "search_text", "current_unit__name")
COLLECTIVE_SHOWN = ("code", "name", "search_text", "unit__name")
AWARD_COLUMNS = (
    *("id", "person_id", "collective_id", "unit_id", "award_code", "first_year", "last_year"),
    *("decision_number", "revoked"),
)


def search(user, query: str, *, limit: int = 20) -> SearchResults:
    """People, collectives and award records matching `query`, best match first, within what `user` may
    see (`org.view_person`: the people and collectives of the units in scope, and the award records of
    those; a staff member finds only themselves). The accents and case of the query do not matter, nor
    the order of its words; a misspelt word is corrected when nothing matches as typed. A fixed number
    of queries, whatever the rows; a query longer than MAX_QUERY_LENGTH finds nothing."""
    words = search_words(query) if len(query or "") <= MAX_QUERY_LENGTH else []
    results = SearchResults(query=query or "", words=words)
    scope = scope_for(user, "org.view_person")
    if not words or scope.empty:
        return results
    people_qs = scope.filter(Person.objects.all(), "current_unit", person_field="pk")
    collective_qs = scope.filter(Collective.objects.all(), "unit") if scope.units_only else None
    typed = clean(query)

    vocabulary = functools.cache(search_vocabulary)  # read once, when a prefix is first expanded

    def expand(prefix: str) -> list[str] | None:
        return vocabulary().beginning_with(prefix)

    def run(rank_words, alternatives=None):
        options = {"typed": typed, "alternatives": alternatives, "limit": limit + 1, "expand": expand}
        people = best_matches(
            people_qs.select_related("current_unit").only(*PERSON_SHOWN),
            rank_words,
            name_field="full_name",
            **options,
        )
        collectives = []
        if collective_qs is not None:
            collectives = best_matches(
                collective_qs.select_related("unit").only(*COLLECTIVE_SHOWN),
                rank_words,
                name_field="name",
                order=("name", "id"),
                few=True,  # a person's name, the usual query, matches no collective: one query
                **options,
            )
        return people, collectives

    people, collectives = run(words)
    if not people and not collectives:
        alternatives = corrected_words(words)
        if alternatives is not None:
            best = [options[1] if len(options) > 1 else options[0] for options in alternatives]
            people, collectives = run(best, alternatives)
            results.corrections = _shown_corrections(alternatives, people[:limit] + collectives[:limit])
    results.more_people, results.people = len(people) > limit, people[:limit]
    results.more_collectives, results.collectives = len(collectives) > limit, collectives[:limit]
    results.awards = _awards_of(results.people, results.collectives, limit)
    return results


def _awards_sql(people: int, collectives: int) -> str:
    """The award records of `people` persons and `collectives` collectives (their ids the parameters, then
    the limit), numbered per holder newest first, at most the limit each, with the unit's path. Written
    out: the same query through the ORM (a window, then filtered on it) cost 4-5 ms of Python a search
    against 0.7 ms in PostgreSQL (docs/performance.md, issue 10, third pass)."""
    table, units = AwardRecord._meta.db_table, Unit._meta.db_table
    holders = []
    if people:
        holders.append(f"a.person_id IN ({', '.join(['%s'] * people)})")
    if collectives:
        holders.append(f"a.collective_id IN ({', '.join(['%s'] * collectives)})")
    columns = ", ".join(f"a.{name}" for name in AWARD_COLUMNS)
    return (
        f"SELECT * FROM (SELECT {columns}, u.path AS unit_path, ROW_NUMBER() OVER ("
        "PARTITION BY a.person_id, a.collective_id ORDER BY a.last_year DESC, a.decided_on DESC, a.id DESC"
        f") AS nth FROM {table} a INNER JOIN {units} u ON u.id = a.unit_id WHERE {' OR '.join(holders)}"
        ") numbered WHERE nth <= %s"
    )


def _awards_of(people: list[Person], collectives: list[Collective], limit: int) -> list[AwardRecord]:
    """The award records of the people and collectives found, in the order they were found, each
    holder's newest first (one query: at most `limit` per holder, numbered in the database; put in
    the holders' order here, cheaper than a CASE of one branch per holder)."""
    if not people and not collectives:
        return []
    # each holder with its place among the results: the rows already read, set on its awards
    people_at = {p.pk: (i, p) for i, p in enumerate(people)}
    collectives_at = {c.pk: (len(people) + i, c) for i, c in enumerate(collectives)}
    sql = _awards_sql(len(people_at), len(collectives_at))
    rows = AwardRecord.objects.raw(sql, [*people_at, *collectives_at, limit])
    out = []
    for award in rows:
        # its unit as select_related would set it (the path decides who may open the record; any other
        # field is read on use, never silently empty)
        award.unit = Unit.from_db(rows.db, ["id", "path"], [award.unit_id, award.unit_path])
        if award.person_id:
            place, award.person = people_at[award.person_id]
        else:
            place, award.collective = collectives_at[award.collective_id]
        out.append((place, award.nth, award))
    out.sort(key=lambda t: t[:2])
    return [award for _p, _n, award in out[:limit]]


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
    order = ("search_rank", "sort_key", "id") if "search_rank" in qs.query.annotations else ("sort_key", "id")
    return qs.select_related("current_unit").order_by(*order)


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


def dashboard_cards(request) -> list[dict]:
    """The organisation's cards on the dashboard, counted within the user's scope (core calls this);
    each count stops at core.paging.COUNT_CAP, so the dashboard does not grow with the data."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from tdkt.core.dashboard import count_card

    user = request.user
    cards: list[dict] = []
    year = last_year()
    unit_scope = scope_for(user, "org.view_unit")
    person_scope = scope_for(user, "org.view_person")
    if unit_scope.units_only:
        units = unit_scope.filter_units(Unit.objects.all())
        cards.append(count_card(_("Đơn vị"), units, url=reverse("org:unit_tree"), icon="diagram-3"))
        collectives = unit_scope.filter(Collective.objects.filter(active=True))
        cards.append(count_card(_("Tập thể"), collectives, url=None, icon="people"))
    if person_scope.units_only:
        active = person_scope.filter(Person.objects.filter(active=True), "current_unit", person_field="pk")
        cards.append(
            count_card(_("Cán bộ đang công tác"), active, url=reverse("org:person_list"), icon="person-badge")
        )
        htxs = person_scope.filter(
            Person.objects.filter(active=True, evaluations__year=year, evaluations__rating=Rating.HTXS),
            "current_unit",
        )
        cards.append(
            count_card(
                _("Hoàn thành xuất sắc nhiệm vụ năm %(year)s") % {"year": year},
                htxs,
                url=reverse("org:person_list") + f"?rating=htxs&rating_year={year}",
                icon="star",
            )
        )
        awards = person_scope.filter(AwardRecord.objects.filter(last_year=year, revoked=False), "unit")
        cards.append(
            count_card(_("Khen thưởng năm %(year)s") % {"year": year}, awards, url=None, icon="award")
        )
    if not scope_for(user, "org.review_identity").empty:
        cards.append(
            count_card(
                _("Số định danh chờ xác minh"),
                identity_reviews_for(user),
                url=reverse("org:identity_list"),
                icon="person-vcard",
            )
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


# --- timelines (issue 10): a person's and a collective's years at a glance ------------------------


def _linkable_units(user, unit_ids: set[int], action: str) -> set[int]:
    """The ids among `unit_ids` the user's `action` scope covers (one query, none for the admin)."""
    scope = scope_for(user, action)
    if scope.everything:
        return set(unit_ids)
    if not scope.units_only or not unit_ids:
        return set()
    return {u.pk for u in Unit.objects.filter(pk__in=sorted(unit_ids)).only("id", "path") if scope.covers(u)}


def _split_awards(row: YearRow, linkable: set[int]) -> None:
    """Titles (danh hiệu thi đua) apart from the forms of commendation; each award links to its record
    page when the user may read the register of its unit."""
    from tdkt.org.enums import TITLE_CODES

    row.titles = [a for a in row.awards if a.award_code in TITLE_CODES]
    row.commendations = [a for a in row.awards if a.award_code not in TITLE_CODES]
    for award in row.awards:
        award.linkable = award.unit_id in linkable


def person_timeline(person: Person, user) -> list[YearRow]:
    """One row per year, newest first: rating, titles, awards (revoked ones with their revocation),
    discipline, leave, initiatives, and the posts that began that year (transfers). Built on
    `history_by_year` from the relations `prefetch_profile` loaded: a fixed number of queries whatever
    the years and records."""
    rows = {row.year: row for row in history_by_year(person)}
    for pos in person.positions.all():
        rows.setdefault(pos.start.year, YearRow(year=pos.start.year))
    years = [rows[y] for y in sorted(rows, reverse=True)]
    starts: dict[int, list[Position]] = defaultdict(list)
    for pos in sorted(person.positions.all(), key=lambda p: (p.start, p.pk)):
        starts[pos.start.year].append(pos)
    linkable = _linkable_units(user, {a.unit_id for a in person.awards.all()}, "awards.view_register")
    _name_at_start(person.positions.all())
    for row in years:
        row.positions = starts.get(row.year, [])
        _split_awards(row, linkable)
    return years


def _name_at_start(positions) -> None:
    """Each post's `unit_label`: the name its unit had when the post began (a unit renamed since keeps
    its old name in UnitName). One query."""
    from tdkt.org.models import UnitName

    positions = list(positions)
    if not positions:
        return
    former = defaultdict(list)
    for n in UnitName.objects.filter(unit_id__in=sorted({p.unit_id for p in positions})):
        former[n.unit_id].append(n)
    for pos in positions:
        pos.unit_label = next(
            (
                n.name
                for n in former.get(pos.unit_id, ())
                if (n.valid_from is None or n.valid_from <= pos.start) and pos.start <= n.valid_to
            ),
            pos.unit.name,
        )


def collective_timeline(collective: Collective, user) -> list[YearRow]:
    """A collective's years, newest first: rating (with members), titles, awards, initiatives. Three
    queries (one per relation) plus at most one for the links, whatever the years."""
    prefetch_related_objects(
        [collective],
        Prefetch("evaluations", queryset=Evaluation.objects.order_by("-year")),
        Prefetch("initiatives", queryset=Initiative.objects.order_by("title")),
        Prefetch("awards", queryset=AwardRecord.objects.order_by("-last_year", "-decided_on", "-id")),
    )
    rows: dict[int, YearRow] = {}
    for ev in collective.evaluations.all():
        rows.setdefault(ev.year, YearRow(year=ev.year)).evaluation = ev
    for ini in collective.initiatives.all():
        rows.setdefault(ini.year, YearRow(year=ini.year)).initiatives.append(ini)
    for award in collective.awards.all():
        rows.setdefault(award.last_year, YearRow(year=award.last_year)).awards.append(award)
    linkable = _linkable_units(user, {a.unit_id for a in collective.awards.all()}, "awards.view_register")
    years = [rows[y] for y in sorted(rows, reverse=True)]
    for row in years:
        _split_awards(row, linkable)
    return years


# --- restructuring (issue 11): units merged, split, renamed, moved --------------------------------


def lineage(unit: Unit) -> list[int]:
    """The ids of the units `unit` succeeded, transitively (the nearest first): the units merged into it,
    the unit it was split from, and theirs. One query per generation."""
    from tdkt.org.models import UnitSuccession

    seen = {unit.pk}
    out: list[int] = []
    frontier = [unit.pk]
    while frontier:
        found = (
            UnitSuccession.objects.filter(successor_id__in=frontier)
            .exclude(predecessor_id=F("successor_id"))
            .order_by("-restructuring__on", "predecessor_id")
            .values_list("predecessor_id", flat=True)
        )
        frontier = [pk for pk in dict.fromkeys(found) if pk not in seen]
        seen.update(frontier)
        out.extend(frontier)
    return out


def predecessors_of(unit: Unit) -> list[Unit]:
    """The units of `lineage(unit)`, each with `restructuring` (the one that ended it into this line)."""
    from tdkt.org.models import UnitSuccession

    ids = lineage(unit)
    if not ids:
        return []
    units = Unit.objects.in_bulk(ids)
    edges = {
        s.predecessor_id: s.restructuring
        for s in UnitSuccession.objects.filter(predecessor_id__in=ids)
        .exclude(successor_id=F("predecessor_id"))
        .select_related("restructuring")
    }
    out = []
    for pk in ids:
        u = units[pk]
        u.restructuring = edges.get(pk)
        out.append(u)
    return out


def continued_collectives(collective_ids) -> dict[int, list[int]]:
    """Successor collective id -> the ids of the predecessors' collectives whose years it continues
    (recorded on a merger; transitively, nearest first). Whether they count is the rulebook's setting
    `collective.chain_across_merger`, read by the caller."""
    from tdkt.org.enums import RestructuringKind
    from tdkt.org.models import Restructuring

    out: dict[int, list[int]] = {}
    for cid in collective_ids:
        out[cid] = []
    frontier = {cid: cid for cid in collective_ids}  # collective reached -> the successor it feeds
    while frontier:
        rows = Restructuring.objects.filter(
            kind=RestructuringKind.MERGE,
            successor_collective_id__in=sorted(frontier),
            continuing_collective__isnull=False,
        ).values_list("successor_collective_id", "continuing_collective_id")
        nxt = {}
        for succ, pred in rows:
            root = frontier[succ]
            if pred not in out[root] and pred != root:
                out[root].append(pred)
                nxt[pred] = root
        frontier = nxt
    return {k: v for k, v in out.items() if v}


def predecessor_collective_years(collective: Collective, user) -> list[tuple[Collective, list[YearRow]]]:
    """For a unit's own collective: the own collectives of the units it succeeded, each with its years
    (`collective_timeline`), shown "tại <old unit>" on the successor's page. Anyone who may see the
    successor sees these rows: they are the successor's history."""
    if collective.kind != "unit":
        return []
    ids = lineage(collective.unit)
    if not ids:
        return []
    olds = (
        Collective.objects.filter(unit_id__in=ids, kind="unit").select_related("unit").order_by("unit__name")
    )
    return [(c, collective_timeline(c, user)) for c in olds]


def restructurings_for(user) -> QuerySet:
    """The restructurings every unit of which (before and after) is inside the user's
    `org.restructure` scope, newest first, with their units."""
    from tdkt.org.models import Restructuring, UnitSuccession

    scope = scope_for(user, "org.restructure")
    qs = Restructuring.objects.all()
    if not scope.everything:
        outside = UnitSuccession.objects.exclude(scope.unit_q("predecessor") & scope.unit_q("successor"))
        qs = qs.exclude(pk__in=outside.values("restructuring_id"))
        qs = qs.filter(Q(new_parent__isnull=True) | scope.unit_q("new_parent"))
    return qs.select_related("recorded_by", "old_parent", "new_parent").prefetch_related(
        Prefetch("successions", queryset=_successions()),
    )


def _successions():
    from tdkt.org.models import UnitSuccession

    return (
        UnitSuccession.objects.select_related("predecessor", "successor")
        .prefetch_related("predecessor__former_names")
        .order_by("id")
    )


def predecessor_awards(unit_ids: list[int]) -> list[AwardRecord]:
    """The awards of the own collectives of the units `unit_ids` (a unit's predecessors), newest first,
    each with `at_unit` (the unit's name at the time)."""
    if not unit_ids:
        return []
    rows = list(
        AwardRecord.objects.filter(collective__unit_id__in=unit_ids)
        .select_related("collective__unit")
        .order_by("-last_year", "-decided_on", "-id")
    )
    for a in rows:
        a.at_unit = a.collective.unit.name
    return rows
