"""scope_for: the units (and own record) each role's assignments cover."""

from __future__ import annotations

import datetime

from tdkt.accounts.models import RoleAssignment
from tdkt.accounts.scope import has_action, scope_for
from tdkt.org.models import Person
from tests.factories import make_user


def _people(user, action="org.view_person"):
    scope = scope_for(user, action)
    return {p.code for p in scope.filter(Person.objects.all(), "current_unit", person_field="pk")}


def test_officer_covers_own_unit_and_its_subtree_not_others(tree, people):
    scope = scope_for(make_user("o", "officer", tree["a"]), "org.view_person")
    assert scope.covers(tree["a"]) and scope.covers(tree["a1"])
    assert not scope.covers(tree["b"]) and not scope.covers(tree["root"])
    assert scope.covers_person(people["binh"]) and not scope.covers_person(people["cuong"])


def test_officer_at_the_root_covers_everything_below(tree, people):
    user = make_user("o", "officer", tree["root"])
    assert _people(user) == {"CB001", "CB002", "CB003"}


def test_officer_of_another_unit_sees_only_that_unit(tree, people):
    assert _people(make_user("o", "officer", tree["b"])) == {"CB003"}


def test_without_subtree_the_role_covers_the_unit_alone(tree, people):
    user = make_user("o", "officer", tree["a"], include_subtree=False)
    scope = scope_for(user, "org.view_person")
    assert scope.covers(tree["a"]) and not scope.covers(tree["a1"])
    assert _people(user) == {"CB001"}


def test_expired_assignment_gives_nothing(tree, people):
    user = make_user("o", "officer", tree["a"])
    RoleAssignment.objects.filter(user=user).update(
        valid_to=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert scope_for(user, "org.view_person").empty
    assert _people(user) == set()


def test_future_assignment_gives_nothing_yet(tree, people):
    user = make_user("o", "officer", tree["a"])
    RoleAssignment.objects.filter(user=user).update(
        valid_from=datetime.date.today() + datetime.timedelta(days=1)
    )
    assert scope_for(user, "org.view_person").empty


def test_unit_head_and_council_member_view_but_council_cannot_export(tree):
    head = make_user("h", "unit_head", tree["a"])
    council = make_user("c", "council_member", tree["a"])
    assert scope_for(head, "org.view_person").covers(tree["a1"])
    assert scope_for(head, "org.export").covers(tree["a"])
    assert scope_for(council, "org.view_person").covers(tree["a"])
    assert scope_for(council, "org.export").empty
    assert scope_for(head, "org.view_private").empty  # ID numbers are for TĐKT officers


def test_staff_sees_only_their_own_record(tree, people):
    staff = make_user("s", "staff", tree["a"])
    Person.objects.filter(pk=people["an"].pk).update(user=staff)
    staff.refresh_from_db()
    scope = scope_for(staff, "org.view_person")
    assert not scope.units_only and scope.own_person_id == people["an"].pk
    assert not scope.covers(tree["a"])
    assert _people(staff) == {"CB001"}
    assert scope_for(staff, "org.view_private").own_person_id == people["an"].pk
    assert scope_for(staff, "org.export").empty
    assert not has_action(staff, "org.view_unit")


def test_staff_without_linked_record_sees_nothing(tree, people):
    assert _people(make_user("s", "staff", tree["a"])) == set()


def test_admin_sees_everything_for_every_action(tree, people):
    admin = make_user("a", "admin", tree["a"])  # admin wherever the role is held
    for action in ("org.view_person", "org.export", "org.view_private", "core.view_audit"):
        assert scope_for(admin, action).everything
    assert _people(admin) == {"CB001", "CB002", "CB003"}


def test_anonymous_and_inactive_users_have_empty_scope(tree):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(AnonymousUser(), "org.view_person").empty
    user = make_user("o", "officer", tree["a"])
    user.is_active = False
    assert scope_for(user, "org.view_person").empty


def test_several_assignments_add_up(tree, people):
    user = make_user("o", "officer", tree["a1"])
    RoleAssignment.objects.create(user=user, role="unit_head", unit=tree["b"])
    assert _people(user) == {"CB002", "CB003"}
