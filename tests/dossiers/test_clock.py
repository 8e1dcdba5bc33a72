"""The legal clock of a dossier: who holds it and since when, working days used against the step's limit
from the rulebook, the due day on the calendar (weekends and Tết skipped), overdue dossiers flagged on
the list, the dashboard and by one notification per step to the holder."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tdkt.core import calendar
from tdkt.core.models import Notification
from tdkt.dossiers import services
from tdkt.dossiers.enums import Status
from tdkt.dossiers.models import Dossier
from tests.dossiers.test_flow import ready_dossier

TZ = timezone.get_current_timezone()


def _at(day: datetime.date, hour=9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def test_the_limit_comes_from_the_rulebook_and_the_due_day_skips_tet(world):
    d = ready_dossier(world, awards=(("worker", "bang_khen_bo"),))
    services.dossier_send(actor=world.officer, dossier_id=d.pk)
    services.dossier_receive(actor=world.specialist, dossier_id=d.pk)
    d.refresh_from_db()
    limit, cite = services.step_limit(d, "appraisal")
    assert (d.step, d.step_limit, d.step_cite) == ("appraisal", limit, cite) and limit and cite
    # appraisal started on Friday 13/02/2026, the eve of Tết Bính Ngọ: the days off do not count
    since = _at(datetime.date(2026, 2, 13))
    due = calendar.due_date(since, limit)
    assert due == calendar.add_workdays(datetime.date(2026, 2, 13), limit)
    assert (due - datetime.date(2026, 2, 13)).days > limit + 4  # weekends and Tết stretched it
    clock = services.clock_of(Dossier(step_since=since, step_limit=limit, holder_label="Bộ"), now=_at(due))
    assert (clock.used, clock.left, clock.overdue) == (limit, 0, False)  # the last day is still in time
    after = calendar.add_workdays(due, 1)
    clock = services.clock_of(Dossier(step_since=since, step_limit=limit, holder_label="Bộ"), now=_at(after))
    assert clock.overdue and clock.left == -1


def test_overdue_dossiers_are_flagged_sorted_first_and_notified_once(client, world):
    late = ready_dossier(world, awards=(("worker", "bang_khen_bo"),))
    services.dossier_send(actor=world.officer, dossier_id=late.pk)
    fresh = services.dossier_create(
        actor=world.officer, unit_id=world.tree["a"].pk, level="ministry", year=2025
    )
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Dossier.objects.filter(pk=late.pk).update(
        step_since=long_ago, step_due=calendar.due_date(long_ago, late.step_limit or 2)
    )

    client.force_login(world.specialist)
    page = client.get(reverse("dossiers:list"))
    rows = page.context["page"].object_list
    assert rows[0].pk == late.pk and rows[0].clock.overdue  # the nearest (passed) deadline first
    assert fresh.pk in {r.pk for r in rows}
    assert "quá hạn" in page.content.decode()
    only_late = client.get(reverse("dossiers:list") + "?overdue=on").context["page"].object_list
    assert [r.pk for r in only_late] == [late.pk]
    cards = {c["label"]: c["value"] for c in client.get(reverse("core:dashboard")).context["cards"]}
    assert cards["Hồ sơ quá hạn"] == 1

    assert services.notify_overdue() >= 1
    assert services.notify_overdue() == 0  # once per step
    note = Notification.objects.get(user=world.specialist, kind="dossier.overdue")
    assert late.title in note.title
    # the unit is not told about a step the ministry holds
    assert not Notification.objects.filter(user=world.officer, kind="dossier.overdue").exists()

    # a dossier that leaves the step starts a new clock
    services.dossier_receive(actor=world.specialist, dossier_id=late.pk)
    late.refresh_from_db()
    assert late.status == Status.APPRAISING and late.step_due > timezone.localdate()
