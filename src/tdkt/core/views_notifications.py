"""The notifications page: a user's own notifications, opening one (marks it read), reading all."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tdkt.core.access import authenticated
from tdkt.core.models import Notification
from tdkt.core.notifications import for_user, local_path, mark_all_read, mark_read
from tdkt.core.paging import paginate

PER_PAGE = 25


@require_GET
@authenticated
def notification_list(request):
    page = paginate(
        request, for_user(request.user).only("id", "title", "body", "created_at", "read_at"), PER_PAGE
    )
    page.object_list = list(page.object_list)
    context = {
        "page": page,
        "query": "",
        "breadcrumbs": [(_("Thông báo"), None)],
    }
    return render(request, "core/notifications.html", context)


@require_GET
@authenticated
def notification_open(request, notification_id: int):
    """Mark the notification read and go where it points: only ever a path of this site (an address
    elsewhere, written by anyone, leads back to the list instead)."""
    try:
        notification = mark_read(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None  # another user's id reads exactly like one that does not exist
    return redirect(local_path(notification.url) or reverse("core:notification_list"))


@require_POST
@authenticated
def notification_read_all(request):
    count = mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("core:notification_list")
