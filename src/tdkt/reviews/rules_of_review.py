"""What the rulebook says about a review round, read in one place: which titles and forms a round
lists, which need the council's secret ballot, the caps on a list (with their article), and whether a
title needs a registration. Every value comes from the rulebook's settings (the agency may change them;
unconfirmed ones say so on the settings page), never from this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tdkt.org.enums import TITLE_CODES
from tdkt.rulebook import services as rulebook


@dataclass(frozen=True)
class Problem:
    kind: str  # cap | registration
    message: str


# Forms whose criteria the law leaves to each agency (Luật 2022 Điều 75 khoản 2 for Giấy khen, Điều 71
# for Kỷ niệm chương): almost everyone rated well qualifies, so the unit chooses whom to propose and adds
# them with a reason; the engine's list would only be noise.
CHOSEN_BY_THE_UNIT = frozenset({"giay_khen", "ky_niem_chuong"})


def round_award_codes(review) -> list[str]:
    """A yearly round lists every title and form the engine judges for the year (what the unit cannot
    decide goes on as proposals), except those the unit chooses itself; a thematic movement's round has
    no engine list (its achievements are the movement's, added by the unit with their reasons)."""
    if review.movement_id:
        return []
    codes = rulebook.codes_for("individual", review.year) + rulebook.codes_for("collective", review.year)
    return [c for c in dict.fromkeys(codes) if c not in CHOSEN_BY_THE_UNIT]


def vote_awards(year: int) -> frozenset[str]:
    """The titles and forms the unit's council decides by secret ballot (setting unit_council.vote_awards)."""
    return frozenset(rulebook.setting_value("unit_council.vote_awards", year) or ())


def vote_rule(review):
    """The secret ballot's rule for the round's council (councils.selectors.vote_rule: the one reader)."""
    from tdkt.councils.selectors import vote_rule as council_vote_rule

    return council_vote_rule(review.unit)


def person_counts(included) -> dict[str, int]:
    """Included candidates per award code."""
    counts: dict[str, int] = {}
    for c in included:
        counts[c.award_code] = counts.get(c.award_code, 0) + 1
    return counts


def cap_problems(review, included) -> list[Problem]:
    return [
        Problem("cap", row.message)
        for row in rulebook.cap_rows(person_counts(included), review.year)
        if row.exceeded
    ]


def caps_summary(review, counts: dict[str, int]) -> list[dict]:
    """Each cap of the regime with its live figures (`counts`: included candidates per award code), for
    the round's page, exceeded or not."""
    return [
        {
            "capped": rulebook.award_name(row.cap.capped),
            "base": rulebook.award_name(row.cap.base),
            "have": row.have,
            "base_count": row.base_count,
            "ratio": row.ratio_text or None,
            "allowed": row.allowed,
            "exceeded": row.exceeded,
            "cite": row.cite,
        }
        for row in rulebook.cap_rows(counts, review.year)
        if not row.cap.base_from_records
    ]


def registration_required(year: int) -> bool:
    return bool(rulebook.setting_value("registration.required", year))


def registration_problems(review, included) -> list[Problem]:
    """Titles (danh hiệu thi đua) of subjects who did not register, where the regime requires it."""
    if not registration_required(review.year):
        return []
    registered = registrations_of(review)
    missing = [
        c
        for c in included
        if c.award_code in TITLE_CODES
        and c.award_code
        not in registered.get(
            ("individual" if c.person_id else "collective", c.person_id or c.collective_id), set()
        )
    ]
    if not missing:
        return []
    names = ", ".join(f"{c.subject} ({rulebook.award_name(c.award_code)})" for c in missing[:5])
    more = _(" và %(n)s trường hợp khác") % {"n": len(missing) - 5} if len(missing) > 5 else ""
    return [
        Problem(
            "registration",
            _("Chưa đăng ký thi đua nên không xét danh hiệu: %(names)s%(more)s — %(cite)s.")
            % {
                "names": names,
                "more": more,
                "cite": rulebook.setting_citation("registration.required", review.year),
            },
        )
    ]


def subject_key(c) -> tuple[str, int]:
    """The key of the movements app's registrations: ("person", id) or ("collective", id)."""
    return ("person", c.person_id) if c.person_id else ("collective", c.collective_id)


def registrations_of(review) -> dict[tuple[str, int], set[str]]:
    from tdkt.movements.selectors import registered_subjects
    from tdkt.org.models import Unit

    unit_ids = Unit.objects.filter(path__startswith=review.unit.path).values_list("pk", flat=True)
    return registered_subjects(year=review.year, unit_ids=list(unit_ids), movement=review.movement)


def blocking_problems(review, included) -> list[Problem]:
    return cap_problems(review, included) + registration_problems(review, included)
