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
    # units merged, split, renamed or moved (issue 11): recorded by the ministry's TĐKT department
    "org.restructure": frozenset({R.SPECIALIST}),
    "rulebook.view_eligibility": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.INSPECTOR}
    ),
    "rulebook.run_eligibility": frozenset({R.SPECIALIST, R.OFFICER}),
    "rulebook.change_settings": frozenset(),
    # movements and registration (issue 8): the ministry's department and unit officers launch
    # movements of their units; officers register their unit's people and collectives; the unit head
    # approves what staff register for themselves; the ministry and leaders read the consolidated table
    "movements.view": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.BLOC_HEAD, R.INSPECTOR}
    ),
    "movements.manage": frozenset({R.SPECIALIST, R.OFFICER}),
    "movements.register": frozenset({R.SPECIALIST, R.OFFICER}),
    "movements.approve_registration": frozenset({R.UNIT_HEAD}),
    "movements.view_consolidated": frozenset({R.SPECIALIST, R.LEADER, R.INSPECTOR}),
    # the year's review in a unit: candidates, councils, ballots, decisions
    "reviews.view": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.INSPECTOR}
    ),
    "reviews.manage": frozenset({R.SPECIALIST, R.OFFICER}),
    "councils.view": frozenset({R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER}),
    "councils.manage": frozenset({R.SPECIALIST, R.OFFICER}),
    "awards.view_decision": frozenset(
        {R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.COUNCIL_MEMBER, R.LEADER, R.INSPECTOR}
    ),
    "awards.draft_decision": frozenset({R.SPECIALIST, R.OFFICER}),
    # a unit head issues the unit's decisions; a leader of the ministry (held at the top) the ministry's
    "awards.issue_decision": frozenset({R.UNIT_HEAD, R.LEADER}),
    # the print layouts of Bằng khen / Giấy khen on the agency's blanks: the ministry's TĐKT department
    "awards.manage_certificates": frozenset({R.SPECIALIST}),
    # proposal dossiers (issue 9): the unit's officer prepares, its head approves; the ministry's TĐKT
    # department appraises every unit's and never edits what it appraises (separation of duties: the
    # department's own proposals are prepared by an officer of its unit); a leader of the ministry signs
    # what goes to the State
    "dossiers.view": frozenset({R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.LEADER, R.INSPECTOR}),
    "dossiers.prepare": frozenset({R.OFFICER}),
    "dossiers.approve": frozenset({R.UNIT_HEAD}),
    "dossiers.appraise": frozenset({R.SPECIALIST}),
    "dossiers.sign": frozenset({R.LEADER}),
    # the award register (issue 10): read by whoever reads the unit's people and decisions; legacy lists
    # imported and revocations recorded by the TĐKT officers (a revocation is a decision recorded, not made)
    "awards.view_register": frozenset({R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.LEADER, R.INSPECTOR}),
    "awards.import_register": frozenset({R.SPECIALIST, R.OFFICER}),
    "awards.revoke": frozenset({R.SPECIALIST, R.OFFICER}),
    # statistics with charts and the periodic report forms (issue 10)
    "reports.view": frozenset({R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.LEADER, R.INSPECTOR}),
    "reports.export_forms": frozenset({R.SPECIALIST, R.OFFICER}),
    # emulation blocs and clusters (issue 11): the ministry's TĐKT department organises the blocs; a member
    # unit's officer and head score its sheet; the bloc head's year-bound rights are a predicate
    # (clusters.rules.heads), not a role's scope, and never reach the members' people
    "clusters.view": frozenset({R.SPECIALIST, R.OFFICER, R.UNIT_HEAD, R.LEADER, R.BLOC_HEAD, R.INSPECTOR}),
    "clusters.manage": frozenset({R.SPECIALIST}),
    "clusters.lead": frozenset(),
    "clusters.score": frozenset({R.OFFICER, R.UNIT_HEAD}),
    "core.view_audit": frozenset(),
    "core.view_job": frozenset({R.SPECIALIST, R.OFFICER}),
}

# actions a staff member may take on their own record only
SELF_ACTIONS = frozenset(
    {"org.view_person", "org.view_private", "rulebook.view_eligibility", "movements.view", "reviews.view"}
)
