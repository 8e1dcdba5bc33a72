"""Navigation by role: the menu shows only what the user may open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.scope import is_admin, scope_for

# (url name, label, action that must be somewhere in the user's scope — None: any signed-in user —,
#  and whether that scope must cover whole units rather than only the user's own record)
MENU = [
    ("core:dashboard", _("Tổng quan"), None, False),
    ("org:unit_tree", _("Đơn vị"), "org.view_unit", True),
    ("org:person_list", _("Cán bộ"), "org.view_person", False),
    ("movements:movement_list", _("Phong trào"), "movements.view", False),
    ("rulebook:candidates", _("Xét khen thưởng"), "rulebook.view_eligibility", True),
    ("org:import_start", _("Nhập dữ liệu"), "org.import", True),
    ("rulebook:catalogue", _("Quy định TĐKT"), None, False),
    ("core:audit_list", _("Nhật ký"), "core.view_audit", True),
    ("accounts:lockout_list", _("Khoá đăng nhập"), "core.view_audit", True),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    admin = is_admin(user)
    for url_name, label, action, needs_units in MENU:
        if action is not None and not admin:
            scope = scope_for(user, action)
            if scope.empty or (needs_units and not scope.units_only):
                continue
        try:
            url = reverse(url_name)
        except Exception:  # an app that has not mounted this page yet
            continue
        items.append({"url": url, "label": label, "active": False})
    # the entry whose address is the longest prefix of the current path is the active one
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    own = getattr(user, "person", None) if hasattr(user, "person") else None
    return {"nav_items": items, "own_person": own}
