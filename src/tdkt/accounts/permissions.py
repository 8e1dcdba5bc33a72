"""Which roles may do what. The one table every permission check reads."""

from __future__ import annotations

from tdkt.accounts.enums import Role

R = Role

# action -> roles that grant it within the units their assignment covers.
# The system admin holds every action everywhere; `staff` sees only their own record (see scope.py).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "org.view_unit": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.BLOC_HEAD, R.INSPECTOR}
    ),
    "org.view_person": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.BLOC_HEAD, R.INSPECTOR}
    ),
    "org.view_private": frozenset({R.SPECIALIST, R.OFFICER}),
    "org.change_person": frozenset({R.SPECIALIST, R.OFFICER}),
    "org.import": frozenset({R.SPECIALIST, R.OFFICER}),
    "org.export": frozenset({R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.LEADER, R.INSPECTOR}),
    # the ministry's TĐKT department decides whether two records sharing an ID number are one human
    "org.review_identity": frozenset({R.SPECIALIST}),
    "rulebook.view_eligibility": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.INSPECTOR}
    ),
    "rulebook.run_eligibility": frozenset({R.SPECIALIST, R.OFFICER}),
    "rulebook.change_settings": frozenset(),
    "core.view_audit": frozenset(),
    "core.view_job": frozenset({R.SPECIALIST, R.OFFICER}),
}

# actions a staff member may take on their own record only
SELF_ACTIONS = frozenset({"org.view_person", "org.view_private", "rulebook.view_eligibility"})
