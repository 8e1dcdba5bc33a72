"""The dashboard: real counts within the user's scope and a landing that fits each role."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tdkt.core.audit import audit
from tdkt.core.models import Job
from tdkt.org.models import AwardRecord, Collective, Evaluation, Person
from tests.factories import make_user

DASH = reverse("core:dashboard")
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def facts(tree, people):
    Evaluation.objects.create(person=people["an"], unit=tree["a"], year=LAST_YEAR, rating="htxs")
    Evaluation.objects.create(person=people["binh"], unit=tree["a1"], year=LAST_YEAR, rating="htt")
    Evaluation.objects.create(person=people["cuong"], unit=tree["b"], year=LAST_YEAR, rating="htxs")
    Collective.objects.create(unit=tree["a"], kind="unit", code="TT-A", name="Vụ A")
    Collective.objects.create(unit=tree["b"], kind="unit", code="TT-B", name="Vụ B")
    for p, u in ((people["an"], tree["a"]), (people["cuong"], tree["b"])):
        AwardRecord.objects.create(
            person=p,
            unit=u,
            award_code="ldtt",
            first_year=LAST_YEAR,
            last_year=LAST_YEAR,
            decision_number=f"{p.pk}/QĐ",
            decided_on=datetime.date(LAST_YEAR + 1, 1, 5),
        )


def _cards(response) -> dict[str, int]:
    return {str(c["label"]): c["value"] for c in response.context["cards"]}


def test_officer_counts_only_their_subtree(client, tree, facts):
    client.force_login(make_user("officer_a", "officer", tree["a"]))
    response = client.get(DASH)
    assert _cards(response) == {
        "Đơn vị": 2,
        "Tập thể": 1,
        "Cán bộ đang công tác": 2,
        f"Hoàn thành xuất sắc nhiệm vụ năm {LAST_YEAR}": 1,
        f"Khen thưởng năm {LAST_YEAR}": 1,
    }
    body = response.content.decode()
    assert f'href="/org/people/?rating=htxs&amp;rating_year={LAST_YEAR}"' in body
    assert "Thay đổi gần đây" not in body  # audit events are for admins


def test_admin_counts_everything_and_sees_recent_changes(client, tree, facts):
    admin = make_user("admin", "admin", tree["root"])
    audit(admin, "person.update", Person.objects.first(), changes={"position": ["", "Chuyên viên"]})
    client.force_login(admin)
    response = client.get(DASH)
    cards = _cards(response)
    assert cards["Đơn vị"] == 4 and cards["Cán bộ đang công tác"] == 3
    assert cards[f"Hoàn thành xuất sắc nhiệm vụ năm {LAST_YEAR}"] == 2
    body = response.content.decode()
    assert "Thay đổi gần đây" in body and "person.update" in body
    assert reverse("core:audit_list") in body


def test_revoked_awards_are_not_counted(client, tree, facts):
    AwardRecord.objects.filter(unit=tree["a"]).update(revoked=True, revoked_decision="1/QĐ")
    client.force_login(make_user("officer_a", "officer", tree["a"]))
    assert _cards(client.get(DASH))[f"Khen thưởng năm {LAST_YEAR}"] == 0


def test_staff_member_lands_on_their_own_summary(client, tree, people, facts):
    staff = make_user("staff_an", "staff", tree["a"])
    Person.objects.filter(pk=people["an"].pk).update(user=staff)
    client.force_login(staff)
    response = client.get(DASH)
    body = response.content.decode()
    assert response.context["cards"] == []
    assert "Hồ sơ của tôi" in body and "Nguyễn Văn An" in body
    assert str(LAST_YEAR) in body and "Lao động tiên tiến" in body
    assert reverse("org:person_detail", args=[people["an"].pk]) in body
    assert "Trần Thị Bình" not in body


def test_user_without_role_is_told_to_ask_the_admin(client, db):
    client.force_login(make_user("lonely", None, None))
    body = client.get(DASH).content.decode()
    assert "chưa được phân quyền" in body


def test_running_jobs_of_the_user_are_shown(client, tree):
    officer = make_user("officer_a", "officer", tree["a"])
    other = make_user("officer_b", "officer", tree["b"])
    Job.objects.create(
        kind="import",
        title="Nhập cán bộ từ tệp A.xlsx",
        status="running",
        total=10,
        done=4,
        created_by=officer,
    )
    Job.objects.create(kind="import", title="Nhập của người khác", status="running", created_by=other)
    Job.objects.create(kind="import", title="Đã xong", status="done", created_by=officer)
    client.force_login(officer)
    body = client.get(DASH).content.decode()
    assert "Nhập cán bộ từ tệp A.xlsx" in body and 'value="40"' in body
    assert "Nhập của người khác" not in body and "Đã xong" not in body


def test_dashboard_anonymous_goes_to_login(client, db):
    response = client.get(DASH)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_dashboard_query_count_does_not_grow_with_data(client, tree, people, django_assert_max_num_queries):
    client.force_login(make_user("admin", "admin", tree["root"]))
    with django_assert_max_num_queries(16):
        client.get(DASH)
