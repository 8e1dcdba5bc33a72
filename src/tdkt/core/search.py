"""The one search behaviour of every list: each word of the query begins a word of the name.

Lists search a stored, accent-folded `search_text` ("folded name code", see org.services); the query is
folded the same way (`core.text.fold`), so "nguyen van an" and "NGUYỄN VĂN AN" find the same rows, and
"an" finds Nguyễn Văn An and Nguyễn Văn Anh but not Nguyễn Văn Long, whose "văn" merely contains "an"
(nor "Hạnh" every "Thanh"). A word with a digit is a code and may match anywhere in the text ("2644"
finds CB002644).

The text is folded lower case, so a plain (case-sensitive) LIKE suffices on both databases; on
PostgreSQL a trigram index serves it (migration org 0002). Ranking, misspellings and the indexes that
keep a search fast at national size (org 0006) are below: `ranked` for a list that pages through every
match, `best_matches` for the first few (the search page, org.selectors.search).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable

from django import forms
from django.db import connections
from django.db.models import BooleanField, Case, CharField, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Length, Lower
from django.utils.translation import gettext_lazy as _

from tdkt.core.text import fold

MAX_QUERY_LENGTH = 100  # the longest query a search box accepts; longer is a form error, never truncated


def query_field(label) -> forms.CharField:
    """The search box of a list filter: at most MAX_QUERY_LENGTH characters and no NUL byte
    (a NUL byte would reach the database, which PostgreSQL rejects) — both errors of the form, shown
    beside the box, never a query cut short or a server error."""
    field = forms.CharField(
        label=label,
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Từ khoá dài quá %(limit_value)d ký tự, hãy rút gọn."),
            "null_characters_not_allowed": _("Từ khoá có ký tự không hợp lệ, hãy gõ lại."),
        },
    )
    field.widget.input_type = "search"
    field.widget.attrs["autocomplete"] = "off"
    return field


def query_words(query: str) -> list[str]:
    """The folded words of a query (empty for a blank one)."""
    return fold(query).split()


def word_start_q(field: str, query: str) -> Q:
    """Q over the folded text column `field` (e.g. "search_text", "person__search_text"): every word of
    `query` begins a word of it, or, for a word with a digit, occurs anywhere in it. A blank query
    matches everything (`Q()`)."""
    q = Q()
    for word in query_words(query):
        if any(ch.isdigit() for ch in word):
            q &= Q(**{f"{field}__contains": word})
        else:
            q &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": " " + word})
    return q


# --- ranked and approximate search ---------------------------------------------------------------
#
# `word_start_q` stays the exact path of every search. On top of it:
#   - `search_words` keeps the words of a query that can match something (no punctuation-only or
#     emoji "words", at most MAX_WORDS of them);
#   - `rank_expression` orders the matches: the name typed as it is stored (accents included), then
#     the folded name equal to the query, the name beginning with it, the same words in another order,
#     the name ending with them, the words in order inside it, then any other match; then by name;
#   - `Vocabulary.corrections` proposes, for a word that found nothing, the words of the names within
#     one or two edits ("huonng" -> "huong", "nguyne" -> "nguyen"), and `alternatives_q` searches with
#     them. Vietnamese names use a few thousand distinct syllables, so the vocabulary is small;
#   - `match_q` / `best_matches` choose the index by `connection.vendor`: PostgreSQL intersects the
#     words in a GIN index of the text's words and finds name beginnings in a pattern index; SQLite
#     scans a (covering) index of the text instead of the table and looks name beginnings up as ranges.

MAX_WORDS = 12  # words beyond are ignored: no name has so many, and each word costs a LIKE
MIN_FUZZY_LENGTH = 4  # shorter words are never corrected: "an" is not a misspelt "van"
MAX_CORRECTIONS = 8  # the nearest vocabulary words tried for one misspelt word
MAX_EXPANSION = 64  # a prefix that begins more name words than this is searched as a prefix


def search_words(query: str | None) -> list[str]:
    """The folded words of `query` that can match a stored text: words with at least one letter or digit,
    at most MAX_WORDS. Punctuation alone, emoji and symbols are left out, so they match nothing rather
    than everything ("!!!" is not a search)."""
    words = [w for w in fold(query or "").split() if any(ch.isalnum() for ch in w)]
    return words[:MAX_WORDS]


def _is_code_word(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _whole_word_q(field: str, word: str) -> Q:
    # the stored text is "folded name folded code": every name word is followed by a space
    return Q(**{f"{field}__startswith": word + " "}) | Q(**{f"{field}__contains": " " + word + " "})


def alternatives_q(field: str, alternatives: list[list[str]]) -> Q:
    """Like `word_start_q`, but each query word is a list of alternatives (the word and its
    corrections): every word matches through one of its alternatives."""
    q = Q()
    for options in alternatives:
        one = Q(pk__in=[])
        for word in options:
            one |= word_start_q(field, word)
        q &= one
    return q


def rank_expression(
    words: list[str], *, field: str, code_field: str, name_field: str | None = None, typed=""
):
    """A small integer per row, lower is better, for rows that already match `words` (folded) in the
    stored text `field` ("folded name folded code"):

      0  the name exactly as typed when the query carries accents ("Nguyễn Thị Hường" before "Nguyễn
         Thị Hương"), or the code typed in full
      1  the folded name is the query ("nguyen thi huong")
      2  the folded name begins with the query ("nguyen thi huong giang")
      3  the same words in another order ("huong nguyen thi")
      4  the name ends with the words in this order ("thi huong": Hoàng Thị Hương, the given name last)
      5  the words in this order inside the name ("thi huong" in "nguyen thi huong giang")
      6  any other match (word beginnings in any order, a code anywhere)
    """
    phrase = " ".join(words)
    whens = []
    if name_field and has_accents(typed):
        whens.append(When(Q(**{f"{name_field}__iexact": typed}), then=Value(0)))
    if len(words) == 1 and _is_code_word(words[0]):
        whens.append(When(Q(**{f"{code_field}__iexact": words[0]}), then=Value(0)))
    name_is_phrase = Concat(Value(phrase + " "), Lower(code_field))
    whens.append(When(Q(**{field: name_is_phrase}), then=Value(1)))
    whens.append(When(Q(**{f"{field}__startswith": phrase + " "}), then=Value(2)))
    if len(words) > 1 and not any(_is_code_word(w) for w in words):
        same_words = Q()
        for word in words:
            same_words &= _whole_word_q(field, word)
        # ... and nothing else: the name is as long as the query's words
        length_matches = Q(search_name_length=len(phrase))
        whens.append(When(same_words & length_matches, then=Value(3)))
    name_ends_with = Concat(Value(" " + phrase + " "), Lower(code_field))
    whens.append(When(Q(**{f"{field}__endswith": name_ends_with}), then=Value(4)))
    whens.append(When(Q(**{f"{field}__contains": " " + phrase + " "}), then=Value(5)))
    rank = Case(*whens, default=Value(6), output_field=IntegerField())
    name_length = Length(field) - Length(code_field) - Value(1)
    return rank, {"search_name_length": name_length} if len(words) > 1 else {}


_PLAIN_WORD = re.compile(r"[a-z]+")


def has_accents(typed: str) -> bool:
    """Whether a query was typed with its diacritics (then the name written exactly so ranks first)."""
    return bool(typed) and fold(typed) != " ".join(typed.lower().split())


class NamePart(Func):
    """The folded name alone, with its trailing space: the stored text "folded name folded code" without
    its last word, `SUBSTR(text, 1, LENGTH(text) - LENGTH(code))` (no parameter, so that both databases
    match it with the index org 0009 makes of it, with the order of the results). The namesakes of a full
    name then come in order from the index, however many there are."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        code_sql, code_params = compiler.compile(self.source_expressions[1])
        length = f"LENGTH({text_sql}) - LENGTH({code_sql})"
        # a row whose text is not made yet (empty) has no name, not a negative length (PostgreSQL refuses it)
        sql = f"CASE WHEN {length} > 0 THEN SUBSTR({text_sql}, 1, {length}) ELSE '' END"
        return sql, [*text_params, *code_params, *text_params, *text_params, *code_params]


def name_expression(field: str = "search_text", code_field: str = "code") -> NamePart:
    return NamePart(F(field), F(code_field))


Expand = Callable[[str], "list[str] | None"]


def _tsquery(alternatives: list[list[str]], expand: Expand | None = None) -> str:
    """A PostgreSQL text-search query for the words made of plain letters a-z only (folded names are),
    each a prefix ("nguyen:* & (huong:* | hung:*)"); words with digits or other characters are left to
    the LIKE filter, which every row passes as well. Built only from [a-z]+, so nothing in it is
    syntax.

    With `expand` (the names' vocabulary), a prefix is written as the words of the names it begins
    ("thu" -> "thu | thuan | thuy"): whole words are intersected in the index without building the
    bitmap of every word the prefix begins, 4-7 times faster for common syllables at 2,000,000 people.
    A prefix no name word begins (a code's letters), or too many do, stays a prefix."""
    parts = []
    for options in alternatives:
        if all(_PLAIN_WORD.fullmatch(o) for o in options):
            terms = []
            for o in options:
                words = expand(o) if expand else None
                terms.extend(words if words else [f"{o}:*"])
            parts.append("(" + " | ".join(dict.fromkeys(terms)) + ")")
    return " & ".join(parts)


class WordsMatch(Func):
    """`to_tsvector('simple', text) @@ to_tsquery('simple', query)`: the expression of the GIN index
    org 0006 creates on the folded texts (PostgreSQL only)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        sql = f"to_tsvector('simple'::regconfig, {text_sql}) @@ to_tsquery('simple'::regconfig, {query_sql})"
        return sql, [*text_params, *query_params]


class PatternRange(Func):
    """`text ~>=~ low AND text ~<~ high` (PostgreSQL only): a prefix as the range of the pattern index
    of org 0006. Written so, not as LIKE 'prefix%', because the planner may otherwise read a common
    prefix through the trigram index, many times slower ("nguyen thi huong ": 110 ms against 2 ms at
    2,000,000 people)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        low_sql, low_params = compiler.compile(self.source_expressions[1])
        high_sql, high_params = compiler.compile(self.source_expressions[2])
        sql = f"({text_sql}::text ~>=~ {low_sql} AND {text_sql}::text ~<~ {high_sql})"
        return sql, [*text_params, *low_params, *text_params, *high_params]


# SQLite: the full-text (FTS5) tables of the folded texts, kept by triggers (org 0010): the rows whose
# text has a word beginning with each query word, from an index, where LIKE scans every name
WORDS_TABLES = {
    ("org_person", "search_text"): "org_person_words",
    ("org_collective", "search_text"): "org_collective_words",
}
_words_tables_present: dict[tuple, bool] = {}


def _fts_query(alternatives: list[list[str]]) -> str:
    """An FTS5 query for the words made of plain letters a-z only, each a prefix ('"nguyen"* AND
    ("huong"* OR "hung"*)'); the others are left to the LIKE filter. Built only from [a-z]+ in quotes,
    so nothing in it is syntax."""
    parts = []
    for options in alternatives:
        if all(_PLAIN_WORD.fullmatch(o) for o in options):
            parts.append("(" + " OR ".join(f'"{o}"*' for o in dict.fromkeys(options)) + ")")
    return " AND ".join(parts)


def _words_table(qs, field: str) -> str | None:
    """The FTS5 table of `qs`'s model's `field` on SQLite, when the database holds it (org 0010 skips
    it where SQLite was built without FTS5)."""
    table = WORDS_TABLES.get((qs.model._meta.db_table, field))
    if table is None:
        return None
    connection = connections[qs.db]
    key = (qs.db, str(connection.settings_dict["NAME"]), table)
    present = _words_tables_present.get(key)
    if present is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            present = _words_tables_present[key] = cursor.fetchone() is not None
    return table if present else None


def match_q(qs, words: list[str], *, field: str = "search_text", alternatives=None) -> Q:
    """The rows of `qs` matching `words` (or one alternative of each word) in the folded text `field`,
    as a Q each database answers from its index (org 0006, org 0010)."""
    q = alternatives_q(field, alternatives) if alternatives else word_start_q(field, " ".join(words))
    vendor = connections[qs.db].vendor
    if vendor == "postgresql" and (words_query := _tsquery(alternatives or [[w] for w in words])):
        # the GIN index of the text's words intersects the words' rows; the LIKE filter then checks
        # the exact rule on the few rows left
        q &= Q(WordsMatch(F(field), Value(words_query)))
    if vendor == "sqlite":
        table = _words_table(qs, field)
        if table and (words_query := _fts_query(alternatives or [[w] for w in words])):
            # the full-text index gives the rows with those word beginnings (a few hundred at most for a
            # name); the LIKE filter checks the exact rule on them
            rows = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [words_query])  # noqa: S611
            return Q(pk__in=rows) & q
        # else match in a subquery that SQLite answers by scanning the index on the folded text alone,
        # several times faster than reading the wide rows
        q = Q(pk__in=qs.model._default_manager.filter(q).values("pk"))
    return q


def ranked(
    qs,
    words: list[str],
    *,
    field: str = "search_text",
    code_field: str = "code",
    name_field=None,
    typed: str = "",
    alternatives: list[list[str]] | None = None,
    order=("sort_key", "id"),
):
    """`qs` filtered to the rows matching `words` (or, with `alternatives`, one alternative of each
    word) in the folded text `field`, annotated `search_rank` and ordered best first, then by `order`.
    Every match is ranked: for a list that pages through them all; `best_matches` for the first few."""
    q = match_q(qs, words, field=field, alternatives=alternatives)
    rank, extra = rank_expression(
        words, field=field, code_field=code_field, name_field=name_field, typed=typed
    )
    if extra:
        qs = qs.alias(**extra)
    return qs.filter(q).annotate(search_rank=rank).order_by("search_rank", *order)


# best_matches: at most this many rows beyond the namesakes are ranked (the name beginnings, then other
# matches). 300 against 1,000: the same people found on the bench's 300 queries at 2,000,000 people, and
# p95 49.4 -> 33-45 ms (docs/performance.md, issue 10, third pass)
RANK_CAP = 300
# a list (search_people) ranks every match up to this many; beyond, it keeps name order, page by page
RANK_ALL_CAP = 1000
MAX_HEAD_WORDS = 4  # every order of at most this many words is looked up (4! = 24 index ranges)


def _heads_q(qs, words: list[str], field: str) -> Q:
    """Rows whose folded name begins with the query's words, in any order ("huong nguyen thi" finds
    "nguyen thi huong ..."): index ranges of the folded text, one per order of the words."""
    orders = itertools.permutations(words) if len(words) <= MAX_HEAD_WORDS else [words]
    prefixes = sorted({" ".join(p) + " " for p in orders})
    q = Q(pk__in=[])
    if connections[qs.db].vendor == "sqlite":
        # SQLite's LIKE ignores ASCII case and so no index serves it; the folded text is lower case
        # and the index binary: a range is the same prefix (the character after " " is "!")
        for prefix in prefixes:
            q |= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + "!"})
        return Q(pk__in=qs.model._default_manager.filter(q).values("pk"))
    for prefix in prefixes:  # PostgreSQL: the pattern index of org 0006
        q |= Q(PatternRange(F(field), Value(prefix), Value(prefix[:-1] + "!")))
    return q


def _candidates_q(qs, words: list[str], field: str, alternatives, expand: Expand | None = None) -> Q:
    """Rows that may match (a superset of `match_q`, from an index alone): on PostgreSQL, when every
    word is plain letters, the words' index only — a word of the index begins with each query word
    (through `expand`: the names' words it begins); the LIKE rule is checked on the rows picked."""
    options = alternatives or [[w] for w in words]
    if connections[qs.db].vendor == "postgresql" and all(
        _PLAIN_WORD.fullmatch(o) for opts in options for o in opts
    ):
        return Q(WordsMatch(F(field), Value(_tsquery(options, expand))))
    return match_q(qs, words, field=field, alternatives=alternatives)


def best_matches(
    qs,
    words: list[str],
    *,
    limit: int,
    cap: int = RANK_CAP,
    field: str = "search_text",
    code_field: str = "code",
    name_field=None,
    typed: str = "",
    alternatives: list[list[str]] | None = None,
    order=("sort_key", "id"),
    expand: Expand | None = None,
    few: bool = False,
) -> list:
    """The `limit` best rows of `qs` for `words`, ranked like `ranked`, at a cost that does not grow
    with the matches. Six queries at most (seven with `few`, where the first found too many):

    - with `few` (a table where a query usually matches few rows, or none: the collectives for a
      person's name), every match first, up to `cap`: when there are no more than that, they are all
      the candidates there are (the namesakes and name beginnings among them), ranked then read — one
      query when nothing matches, three when something does, the same rows in the same order;

    - the namesakes, from an index in the order of the results (`name_expression`, org 0009): the name
      as typed with its accents, then every other name folding to the query. A full name with enough
      namesakes (the common ones at national size) is answered by these alone;
    - otherwise the rest is ranked: up to `cap` rows whose name begins with the query's words in some
      order (an index finds them: "huong nguyen thi" for "Nguyễn Thị Hương"), up to `cap` other matches
      when those are fewer than `limit`, the best ids of those, ranked, then their rows — an id list, so
      that the database reads only those rows. A query of one common syllable matches a third of the country,
      each match as good as the next; a full name, however common, is found among the first."""
    if few:
        checked, exact = _rechecked(qs, field, words, alternatives)
        find = _candidates_q(checked, words, field, alternatives, expand)
        ids = list(checked.filter(find).order_by().values_list("pk", flat=True)[: cap + 1])
        if not ids:
            return []
        if len(ids) <= cap:
            return _rank_and_read(
                checked, exact, sorted(ids), words=words, limit=limit, field=field, code_field=code_field,
                name_field=name_field, typed=typed, order=order,
            )  # fmt: skip
    found: list = []
    if not any(_is_code_word(w) for w in words):
        # a name made of the query's words matches them: no other condition, nothing to mislead the plan
        namesakes = qs.alias(search_name=name_expression(field, code_field)).filter(
            search_name=" ".join(words) + " "
        )
        if name_field and has_accents(typed):
            as_typed = Q(**{f"{name_field}__iexact": typed})
            found = list(namesakes.filter(as_typed).order_by(*order)[:limit])
            namesakes = namesakes.exclude(as_typed)
        if len(found) < limit:
            found += list(namesakes.order_by(*order)[: limit - len(found)])
        if len(found) == limit:
            return found
    rest = _ranked_matches(
        qs.exclude(pk__in=[row.pk for row in found]) if found else qs,
        words,
        limit=limit - len(found),
        cap=cap,
        field=field,
        code_field=code_field,
        name_field=name_field,
        typed=typed,
        alternatives=alternatives,
        order=order,
        expand=expand,
    )
    return found + rest


RECHECKED = "search_recheck"


def _rechecked(qs, field: str, words: list[str], alternatives) -> tuple:
    """`qs` with the word rule on a copy of the text that no index serves, for rows an index already
    found: on PostgreSQL the planner, asked LIKE 'huong%' beside an id list or a pattern range, may read
    it through the trigram index instead (283 ms against 1 ms at 2,000,000 people)."""
    qs = qs.alias(**{RECHECKED: Concat(F(field), Value(""), output_field=CharField())})
    rule = (
        alternatives_q(RECHECKED, alternatives) if alternatives else word_start_q(RECHECKED, " ".join(words))
    )
    return qs, rule


def _ranked_matches(
    qs, words, *, limit, cap, field, code_field, name_field, typed, alternatives, order, expand
) -> list:
    qs, exact = _rechecked(qs, field, words, alternatives)
    ids: list = []
    if len(words) > 1:  # one word: its "beginnings" are as many as its matches
        # the index ranges find the few rows; each query word is a whole word of a name beginning with
        # them in some order, so the word rule holds there without asking
        heads = qs.filter(_heads_q(qs, words, field)).order_by()
        ids = list(heads.values_list("pk", flat=True)[:cap])
    if len(ids) < limit:
        find = _candidates_q(qs, words, field, alternatives, expand)
        others = qs.filter(find).order_by().values_list("pk", flat=True)[:cap]  # any of them: no sort
        ids = sorted(set(ids).union(others))
    if not ids:
        return []
    return _rank_and_read(
        qs, exact, ids, words=words, limit=limit, field=field, code_field=code_field,
        name_field=name_field, typed=typed, order=order,
    )  # fmt: skip


def _rank_and_read(qs, exact, ids, *, words, limit, field, code_field, name_field, typed, order) -> list:
    """The best `limit` of the rows `ids` (checked against the word rule `exact`), ranked, then read."""
    rank, extra = rank_expression(
        words, field=field, code_field=code_field, name_field=name_field, typed=typed
    )
    rows = qs.filter(Q(pk__in=ids) & exact)
    if extra:
        rows = rows.alias(**extra)
    ranking = rows.order_by().annotate(search_rank=rank).order_by("search_rank", *order)
    best = list(ranking.values_list("pk", "search_rank")[:limit])
    # ranked by ids alone, then the rows read with what the caller selects: joined to the ranking, the
    # planner may loop over every unit for each of the `cap` rows (57 ms at 2,000,000 people); and the
    # ranking is compiled once, not again around the rows (7 ms of Python a query)
    chosen = {row.pk: row for row in qs.filter(pk__in=[pk for pk, _rank in best]).order_by()}
    out = []
    for pk, search_rank in best:
        row = chosen.get(pk)
        if row is not None:  # gone in between (never deleted in practice): left out
            row.search_rank = search_rank
            out.append(row)
    return out


def max_edits(word: str) -> int:
    """How many edits a word may be away from its correction: none for short words and codes, one for
    words of four or five letters, two for longer ones."""
    if len(word) < MIN_FUZZY_LENGTH or _is_code_word(word):
        return 0
    return 1 if len(word) <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from `a` to `b`; `limit + 1` once above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _step in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class Vocabulary:
    """The distinct words of the stored names, with an index of their one- and two-letter deletions
    (symmetric deletion: two words within two edits share a deletion), so a correction is a few
    dictionary look-ups, not a pass over every word."""

    def __init__(self, words):
        self.words = frozenset(w for w in words if w and not _is_code_word(w))
        self._sorted = sorted(self.words)
        self._index: dict[str, list[str]] = {}
        for word in self.words:
            for variant in _deletions(word, 2 if len(word) > 5 else 1):
                self._index.setdefault(variant, []).append(word)

    def __len__(self) -> int:
        return len(self.words)

    def beginning_with(self, prefix: str, most: int = MAX_EXPANSION) -> list[str] | None:
        """The vocabulary's words that begin with `prefix` (the word itself included), in order; None
        when none does or more than `most` do (the prefix then stays a prefix)."""
        start = bisect.bisect_left(self._sorted, prefix)
        end = bisect.bisect_left(self._sorted, prefix + "\U0010ffff", start)
        return self._sorted[start:end] if 0 < end - start <= most else None

    def corrections(self, word: str) -> list[str]:
        """The vocabulary words nearest to `word` (at most `max_edits(word)` edits away, only those at
        the smallest distance found), best first; empty for a word that is in the vocabulary, too short
        or a code."""
        limit = max_edits(word)
        if not limit or word in self.words:
            return []
        found: dict[str, int] = {}
        for variant in _deletions(word, limit):
            for candidate in self._index.get(variant, ()):
                if candidate not in found:
                    found[candidate] = edit_distance(word, candidate, limit)
        near = {w: d for w, d in found.items() if d <= limit}
        if not near:
            return []
        best = min(near.values())
        # same distance: a candidate of the same length first (a letter typed wrong), then alphabetical
        chosen = sorted((w for w, d in near.items() if d == best), key=lambda w: (abs(len(w) - len(word)), w))
        return chosen[:MAX_CORRECTIONS]
