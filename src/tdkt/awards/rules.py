from tdkt.accounts.rules import register

register(
    "awards.view_decision", "awards.draft_decision", "awards.issue_decision", "awards.manage_certificates"
)
