"""Seeded draws: weighted tables, stable hashes for decision numbers, name parts."""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random
import zlib
from collections.abc import Iterable

from tdkt.demo import names
from tdkt.org.enums import DisciplineForm, Gender, InitiativeScope, Rating


class Weighted:
    """Draws from (value, weight) pairs with one random() and a bisect."""

    def __init__(self, pairs: Iterable[tuple[object, float]]):
        pairs = list(pairs)
        self.values = [v for v, _w in pairs]
        self.cum = list(itertools.accumulate(w for _v, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


FAMILY = Weighted(names.FAMILY_NAMES)
MIDDLE = {Gender.MALE: Weighted(names.MIDDLE_NAMES_MALE), Gender.FEMALE: Weighted(names.MIDDLE_NAMES_FEMALE)}
GIVEN = {Gender.MALE: Weighted(names.GIVEN_NAMES_MALE), Gender.FEMALE: Weighted(names.GIVEN_NAMES_FEMALE)}
ETHNICITY = Weighted(names.ETHNICITIES)
DISCIPLINE_FORMS = Weighted(
    [
        (DisciplineForm.KHIEN_TRACH, 70),
        (DisciplineForm.CANH_CAO, 22),
        (DisciplineForm.HA_BAC_LUONG, 4),
        (DisciplineForm.GIANG_CHUC, 2),
        (DisciplineForm.CACH_CHUC, 2),
    ]
)
INITIATIVE_SCOPES = Weighted(
    [(InitiativeScope.CO_SO, 85), (InitiativeScope.BO, 13), (InitiativeScope.TOAN_QUOC, 2)]
)
COLLECTIVE_RATINGS = Weighted([(Rating.HTXS, 30), (Rating.HTT, 60), (Rating.HT, 9), (Rating.KHT, 1)])


def stable_hash(*parts) -> int:
    """A stable number from a key, for decision numbers and dates that must not depend on order."""
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def day_in(year: int, month: int, key: int, first: int = 1, last: int = 28) -> datetime.date:
    return datetime.date(year, month, first + key % (last - first + 1))


def split_total(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` by `weights` (deterministic, sums to total)."""
    if not weights or total <= 0:
        return [0] * len(weights)
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [math.floor(x) for x in raw]
    rest = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[:rest]:
        counts[i] += 1
    return counts


def draw_name(rng: random.Random, gender: str | None = None) -> tuple[str, str, str, str]:
    gender = gender or (Gender.FEMALE if rng.random() < 0.48 else Gender.MALE)
    return FAMILY.pick(rng), MIDDLE[gender].pick(rng), GIVEN[gender].pick(rng), gender
