from tdkt.accounts.rules import register

register(
    "awards.view_decision",
    "awards.draft_decision",
    "awards.issue_decision",
    "awards.manage_certificates",
    "awards.view_register",
    "awards.import_register",
    "awards.revoke",
)
