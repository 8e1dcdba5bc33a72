from tdkt.accounts.rules import register

register(
    "org.view_unit",
    "org.view_person",
    "org.view_private",
    "org.change_person",
    "org.import",
    "org.export",
    "org.review_identity",
    "org.restructure",
)
