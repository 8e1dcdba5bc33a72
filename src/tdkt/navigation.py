"""Navigation by role: the menu shows only what the user may open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.scope import has_action, is_admin

# (url name, label, action that must be somewhere in the user's scope; None = any signed-in user)
MENU = [
    ("core:dashboard", _("Tổng quan"), None),
    ("org:unit_tree", _("Đơn vị"), "org.view_unit"),
    ("org:person_list", _("Cán bộ"), "org.view_person"),
    ("org:import_start", _("Nhập dữ liệu"), "org.import"),
    ("rulebook:catalogue", _("Quy định TĐKT"), None),
    ("core:audit_list", _("Nhật ký"), "core.view_audit"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, action in MENU:
        if action is not None and not (is_admin(user) or has_action(user, action)):
            continue
        try:
            url = reverse(url_name)
        except Exception:  # an app that has not mounted this page yet
            continue
        items.append(
            {
                "url": url,
                "label": label,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
            }
        )
    own = getattr(user, "person", None) if hasattr(user, "person") else None
    return {"nav_items": items, "own_person": own}
