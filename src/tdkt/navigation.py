"""Navigation by role: the menu shows only what the user may open.

The menu is a list of entries and groups; a group is a dropdown of entries and is shown only when at
least one of its entries is. Each entry names the action that must be somewhere in the user's scope
(None: any signed-in user), whether that scope must cover whole units rather than only the user's own
record, and, for the few entries that depend on something else than a role, a test of the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.scope import is_admin, roles_of, scope_for
from tdkt.councils.models import CouncilMember
from tdkt.org.models import Person


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a label is translated only when drawn
class Entry:
    url_name: str
    label: str
    action: str | None = None
    needs_units: bool = False
    # shown to whoever passes the action's check OR this test (called only when the check fails)
    also: Callable[[object], bool] | None = None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a label is translated only when drawn
class Group:
    key: str  # the dropdown's id in the page: nav-<key>
    label: str
    entries: tuple[Entry, ...]


def _council_member(user) -> bool:
    """A member of a council, whatever their role. Usually known from the user's person, read with the
    membership by `navigation` below; when the view had read the person before, `councils.view`
    without an object is the role's scope or an active membership: one EXISTS query."""
    if _person(user) is None:  # a membership is a person's
        return False
    known = getattr(user, "_tdkt_council_member", None)
    if known is None:
        known = user._tdkt_council_member = rules.has_perm("councils.view", user)
    return known


_PERSON = Person._meta.get_field("user").remote_field  # the user's `person`, as Django caches it


def _person(user) -> Person | None:
    """The user's person. Read here when nothing has read it yet in this request, with whether it sits
    on a council (the same one query the person costs anyway); kept on the user like Django does."""
    if _PERSON.is_cached(user):
        return _PERSON.get_cached_value(user)
    person = (
        Person.objects.filter(user=user)
        .annotate(sits=Exists(CouncilMember.objects.filter(person=OuterRef("pk"), active=True)))
        .first()
    )
    _PERSON.set_cached_value(user, person)
    if person is not None:
        _PERSON.field.set_cached_value(person, user)
    user._tdkt_council_member = bool(person and person.sits)
    return person


class UserBackend(ModelBackend):
    """Django's password backend (settings.AUTHENTICATION_BACKENDS), reading the signed-in user of a
    request with what the frame of every page shows: the user's person (the "my profile" link, the
    staff entries of the menu) and whether that person sits on a council, in the same one query. Read
    apart, they were one more query a page, 0.8 ms of Python building it (docs/performance.md)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("person")
        sits = CouncilMember.objects.filter(person=OuterRef("person__pk"), active=True)
        user = users.annotate(sits_on_council=Exists(sits)).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user._tdkt_council_member = user.sits_on_council
        return user


def _has_person(user) -> bool:
    """A staff member (anyone with a personnel record) can be nominated: their own nominations and
    achievement reports are on "my nominations"."""
    return _person(user) is not None


MENU: list[Entry | Group] = [
    Entry("core:dashboard", _("Tổng quan")),
    Entry("org:unit_tree", _("Đơn vị"), "org.view_unit", needs_units=True),
    Entry("org:person_list", _("Cán bộ"), "org.view_person"),
    Group(
        "emulation",
        _("Thi đua"),
        (
            Entry("movements:movement_list", _("Phong trào"), "movements.view"),
            # bloc work: the organiser's specialists, and the member units' officers and heads
            # (clusters.score's roles are among clusters.view's)
            Entry("clusters:bloc_list", _("Khối, cụm thi đua"), "clusters.view", needs_units=True),
        ),
    ),
    Group(
        "review",
        _("Bình xét"),
        (
            Entry("rulebook:candidates", _("Ứng viên"), "rulebook.view_eligibility", needs_units=True),
            Entry("reviews:round_list", _("Đợt bình xét"), "reviews.view", needs_units=True),
            Entry(
                "councils:council_list",
                _("Hội đồng TĐKT"),
                "councils.view",
                needs_units=True,
                also=_council_member,
            ),
            Entry(
                "councils:my_ballots",
                _("Phiếu bầu của tôi"),
                "councils.view",
                needs_units=True,
                also=_council_member,
            ),
            Entry("dossiers:list", _("Hồ sơ đề nghị"), "dossiers.view", needs_units=True),
            Entry(
                "dossiers:mine",
                _("Đề nghị khen thưởng của tôi"),
                "dossiers.approve",
                needs_units=True,
                also=_has_person,
            ),
            Entry("awards:decision_list", _("Quyết định"), "awards.view_decision", needs_units=True),
            Entry("awards:register", _("Sổ khen thưởng"), "awards.view_register", needs_units=True),
        ),
    ),
    Entry("reports:statistics", _("Thống kê"), "reports.view", needs_units=True),
    Entry("rulebook:catalogue", _("Quy định TĐKT")),
    Group(
        "admin",
        _("Quản trị"),
        (
            Entry("org:import_start", _("Nhập dữ liệu"), "org.import", needs_units=True),
            Entry(
                "awards:legacy_import",
                _("Nhập sổ khen thưởng cũ"),
                "awards.import_register",
                needs_units=True,
            ),
            Entry("core:job_list", _("Tác vụ nền"), "core.view_job", needs_units=True),
            Entry("org:identity_list", _("Xác minh số định danh"), "org.review_identity", needs_units=True),
            Entry("org:restructuring_list", _("Sắp xếp lại đơn vị"), "org.restructure", needs_units=True),
            Entry("core:audit_list", _("Nhật ký"), "core.view_audit", needs_units=True),
            Entry("accounts:lockout_list", _("Khoá đăng nhập"), "core.view_audit", needs_units=True),
            Entry("rulebook:settings", _("Cài đặt quy định"), "rulebook.change_settings", needs_units=True),
            Entry(
                "awards:certificate_layouts",
                _("Mẫu in bằng khen, giấy khen"),
                "awards.manage_certificates",
                needs_units=True,
            ),
            Entry("core:calendar", _("Lịch làm việc"), "core.view_audit", needs_units=True),
        ),
    ),
]


def _role_allows(user, entry: Entry, admin: bool) -> bool:
    """What the user's roles alone allow (the entry's `also` test aside)."""
    if entry.action is None or admin:
        return True
    scope = scope_for(user, entry.action)
    return not scope.empty and (scope.units_only or not entry.needs_units)


_ENTRIES: tuple[Entry, ...] = tuple(
    e for node in MENU for e in (node.entries if isinstance(node, Group) else (node,))
)
# what the roles allow, per (admin, roles, has a person): the few combinations the users share
_ROLE_MENUS: dict[tuple, tuple[bool, ...]] = {}
_URLS: dict[tuple, dict[str, str | None]] = {}


def _role_menu(user, admin: bool) -> tuple[bool, ...]:
    """Per entry of the menu, whether the user's roles allow it. The answer depends only on whether the
    user is an administrator, on the roles they hold today (their current assignments, read once per
    request by the scope) and on whether they have a personnel record (the scope of their own record),
    so it is kept per process under exactly that: a role granted or withdrawn is a new key at the next
    request, and two users share an answer only when nothing it depends on differs."""
    key = (admin, user.is_active, frozenset(roles_of(user)), _has_person(user))
    allowed = _ROLE_MENUS.get(key)
    if allowed is None:
        allowed = tuple(_role_allows(user, entry, admin) for entry in _ENTRIES)
        if len(_ROLE_MENUS) > 1000:  # a bound, never reached by the few roles there are
            _ROLE_MENUS.clear()
        _ROLE_MENUS[key] = allowed
    return allowed


def _urls() -> dict[str, str | None]:
    """The menu's addresses, reversed once per URLconf and script prefix."""
    key = (get_urlconf(), get_script_prefix())
    urls = _URLS.get(key)
    if urls is None:
        urls = _URLS[key] = {e.url_name: _url(e.url_name) for e in _ENTRIES}
    return urls


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:  # an app that has not mounted this page yet
        return None


def build_menu(user, path: str) -> list[dict]:
    """The user's menu: dicts with `label`, `url`, `active`, and for a group `key` and `children`."""
    allowed = dict(zip(_ENTRIES, _role_menu(user, is_admin(user)), strict=True))
    urls = _urls()
    asked: dict = {}

    def shown(entry: Entry) -> str | None:
        url = urls[entry.url_name]
        if not url:
            return None
        if allowed[entry]:
            return url
        if entry.also is None:
            return None
        if entry.also not in asked:  # each test once per menu, however many entries share it
            asked[entry.also] = entry.also(user)
        return url if asked[entry.also] else None

    menu: list[dict] = []
    links: list[dict] = []
    for node in MENU:
        if isinstance(node, Group):
            children = []
            for entry in node.entries:
                url = shown(entry)
                if url:
                    children.append({"url": url, "label": entry.label, "active": False})
            if children:  # a group with nothing the user may open is not shown
                menu.append({"key": node.key, "label": node.label, "children": children, "active": False})
                links.extend(children)
        else:
            url = shown(node)
            if url:
                item = {"url": url, "label": node.label, "active": False}
                menu.append(item)
                links.append(item)
    # the entry whose address is the longest prefix of the current path is the active one
    matches = [i for i in links if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))]
    if matches:
        best = max(matches, key=lambda i: len(i["url"]))
        best["active"] = True
        for item in menu:
            if best in item.get("children", ()):
                item["active"] = True
    return menu


_MENU_HTML: dict[tuple, str] = {}  # per process: the menu's markup per menu shown and language


class Menu:
    """Built on first use, so a fragment that does not draw the header costs nothing. Its markup is
    rendered once per distinct menu (entries, addresses, the active one) and language and kept: the
    same few menus are drawn on every request."""

    def __init__(self, request):
        self._request = request

    @cached_property
    def items(self) -> list[dict]:
        return build_menu(self._request.user, self._request.path)

    @cached_property
    def html(self) -> str:
        def shape(item: dict) -> tuple:
            children = tuple((c["url"], c["active"]) for c in item.get("children", ()))
            return item.get("key"), item.get("url"), item["active"], children

        key = (get_language(), tuple(shape(item) for item in self.items))
        html = _MENU_HTML.get(key)
        if html is None:
            html = render_to_string("includes/_menu.html", {"nav_items": self.items})
            if len(_MENU_HTML) > 2000:  # a bound: menus × active entries × languages stay far below
                _MENU_HTML.clear()
            _MENU_HTML[key] = html
        return mark_safe(html)  # rendered from the project's own template and labels

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": Menu(request),
        "own_person": _person(user),
        # the header's search box (org:search), for whoever may look people up; a callable, so a
        # fragment that does not draw the header does not ask
        "header_search": lambda: not scope_for(user, "org.view_person").empty,
    }
