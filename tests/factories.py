"""Test data builders. They write through the ORM directly (tests arrange state; services are tested)."""

from __future__ import annotations

import datetime
import itertools

from tdkt.accounts.models import RoleAssignment, User
from tdkt.org.models import Person, Position, Unit
from tdkt.org.services import fill_person_derived, fill_unit_path

_seq = itertools.count(1)


def unit(*, code: str, name: str, kind: str = "department", parent: Unit | None = None) -> Unit:
    u = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
    fill_unit_path(u)
    u.save(update_fields=["path", "depth"])
    return u


def person(
    u: Unit, *, family_name="Nguyễn", middle_name="Văn", given_name=None, code=None, user=None, **extra
) -> Person:
    n = next(_seq)
    p = Person(
        current_unit=u,
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name or f"Tên{n}",
        code=code or f"P{n:05d}",
        gender=extra.pop("gender", "male"),
        birth_date=extra.pop("birth_date", datetime.date(1985, 5, 1)),
        joined=datetime.date(2010, 1, 1),
        user=user,
        **extra,
    )
    fill_person_derived(p)
    p.save()
    Position.objects.create(person=p, unit=u, start=datetime.date(2010, 1, 1))
    return p


def make_user(
    username: str, role: str | None, u: Unit | None, *, include_subtree=True, password="demo"
) -> User:
    user = User.objects.create_user(username=username, password=password, full_name=username)
    if role and u is not None:
        RoleAssignment.objects.create(user=user, role=role, unit=u, include_subtree=include_subtree)
    return user
