"""Registration pages: a unit's officer registers many at once; a staff member registers their own and
the unit head approves; withdrawal."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tdkt.core.models import Notification
from tdkt.movements.models import Movement, Registration
from tests.factories import person
from tests.movements.conftest import TODAY


def _page(movement, unit) -> str:
    return reverse("movements:unit_registration", args=[movement.pk, unit.pk])


def _names(response) -> list[str]:
    return [str(row["subject"]) for row in response.context["page"].object_list]


def test_the_units_page_lists_its_people_the_vietnamese_way_and_only_them(
    client, tree, people, users, movements
):
    person(tree["a"], family_name="Lê", middle_name="Thị", given_name="Ánh", code="CB010")
    client.force_login(users["officer_a"])
    response = client.get(_page(movements["ministry"], tree["a"]))
    assert response.status_code == 200
    assert _names(response) == ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Thị Bình"]
    assert "Lê Cường" not in response.content.decode()
    body = response.content.decode()
    assert 'for="award_person_' in body and 'for="targets_person_' in body  # every field labelled


def test_the_collectives_of_the_unit_are_on_their_own_tab(client, tree, teams, users, movements):
    client.force_login(users["officer_a"])
    response = client.get(_page(movements["ministry"], tree["a"]), {"who": "collectives"})
    assert _names(response) == ["Tổ Kế hoạch", "Tổ Pháp chế"]
    options = [c for c, _label in response.context["choices"]]
    assert options == ["tt_ldtt", "bang_khen_bo"]  # only what a collective may register for


def test_an_officer_registers_several_at_once_and_a_double_submit_saves_nothing_twice(
    client, tree, people, users, movements
):
    client.force_login(users["officer_a"])
    url = _page(movements["ministry"], tree["a"])
    post = {
        f"award_person_{people['an'].pk}": "cstd_co_so",
        f"targets_person_{people['an'].pk}": "Có 1 sáng kiến cấp cơ sở",
        f"award_person_{people['binh'].pk}": "ldtt",
        f"award_person_{people['cuong'].pk}": "",  # blank: not registered (and not of this unit anyway)
    }
    response = client.post(url, post)
    assert response.status_code == 302
    assert "Đã đăng ký 2 cán bộ, tập thể." in client.get(response["Location"]).content.decode()
    assert sorted(Registration.objects.values_list("person__given_name", "award_code", "targets")) == [
        ("An", "cstd_co_so", "Có 1 sáng kiến cấp cơ sở"),
        ("Bình", "ldtt", ""),
    ]

    response = client.post(url, post)  # the same form sent again
    assert response.status_code == 400
    body = response.content.decode()
    assert "đã đăng ký “Chiến sĩ thi đua cơ sở” trong phong trào này; không ghi lại lần nữa." in body
    assert Registration.objects.count() == 2
    assert 'value="cstd_co_so" selected' in body  # the choices stay as sent


def test_a_late_registration_is_accepted_and_the_message_says_so(client, tree, people, users, movements):
    Movement.objects.filter(pk=movements["ministry"].pk).update(
        registration_deadline=TODAY - datetime.timedelta(days=2)
    )
    client.force_login(users["officer_a"])
    url = _page(movements["ministry"], tree["a"])
    assert "Đã quá hạn đăng ký" in client.get(url).content.decode()
    response = client.post(url, {f"award_person_{people['an'].pk}": "ldtt"}, follow=True)
    body = response.content.decode()
    assert "Đã đăng ký 1 cán bộ, tập thể." in body and "được đánh dấu “nộp muộn”" in body
    assert Registration.objects.get().late is True
    assert "Nộp muộn" in body


def test_the_units_page_answers_with_the_same_queries_for_1_and_20_people(client, tree, users, movements):
    client.force_login(users["officer_b"])
    url = _page(movements["b"], tree["b"])
    counts = []
    for n in (1, 20):
        while tree["b"].people.count() < n:
            person(tree["b"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert len(response.context["page"].object_list) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_withdrawal_from_the_units_page(client, tree, people, users, movements):
    client.force_login(users["officer_a"])
    url = _page(movements["ministry"], tree["a"])
    client.post(url, {f"award_person_{people['an'].pk}": "ldtt"})
    registration = Registration.objects.get()
    assert f'form="withdraw-{registration.pk}"' in client.get(url).content.decode()
    response = client.post(reverse("movements:registration_withdraw", args=[registration.pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    # registering again after withdrawing is allowed
    client.post(url, {f"award_person_{people['an'].pk}": "ldtt"})
    assert Registration.objects.filter(status="approved").count() == 1


# ---------------------------------------------------------------------------- the staff member's own


def test_a_staff_member_registers_the_head_approves_and_a_notification_is_written(
    client, people, users, movements
):
    movement = movements["ministry"]
    client.force_login(users["staff"])
    page = client.get(reverse("movements:my_registrations"))
    body = page.content.decode()
    assert "Phong trào thi đua của Bộ" in body and "Thi đua chuyên đề của Vụ A" in body
    assert "Vụ B" not in body

    response = client.post(
        reverse("movements:self_register", args=[movement.pk]),
        {f"m{movement.pk}-award_code": "cstd_co_so", f"m{movement.pk}-targets": "Đề tài cấp bộ"},
        follow=True,
    )
    assert "chờ thủ trưởng đơn vị duyệt" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.person, registration.status) == (people["binh"], "pending")

    client.force_login(users["head_a"])
    queue = client.get(reverse("movements:approval_list"))
    assert "Trần Thị Bình" in queue.content.decode() and "Đề tài cấp bộ" in queue.content.decode()
    response = client.post(reverse("movements:registration_approve", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "approved" and registration.decided_by == users["head_a"]
    note = Notification.objects.get(user=users["staff"], kind="registration.approved")
    assert "Chiến sĩ thi đua cơ sở" in note.title

    client.force_login(users["staff"])
    assert "Đã đăng ký" in client.get(reverse("movements:my_registrations")).content.decode()


def test_the_head_rejects_with_a_reason_the_staff_member_reads(client, users, movements):
    movement = movements["ministry"]
    client.force_login(users["staff"])
    client.post(
        reverse("movements:self_register", args=[movement.pk]), {f"m{movement.pk}-award_code": "ldtt"}
    )
    registration = Registration.objects.get()
    client.force_login(users["head_a"])
    url = reverse("movements:registration_reject", args=[registration.pk])
    client.post(url, {"reason": ""})
    assert Registration.objects.get().status == "pending"
    client.post(url, {"reason": "Chỉ tiêu chưa rõ"})
    client.force_login(users["staff"])
    body = client.get(reverse("movements:my_registrations")).content.decode()
    assert "Không được duyệt" in body and "Chỉ tiêu chưa rõ" in body


def test_an_account_without_a_person_is_told_why_it_cannot_self_register(client, users):
    client.force_login(users["officer_a"])
    body = client.get(reverse("movements:my_registrations")).content.decode()
    assert "chưa gắn với hồ sơ cán bộ" in body


def test_a_title_not_planned_is_refused_with_a_message(client, users, movements):
    movement = movements["ministry"]
    client.force_login(users["staff"])
    response = client.post(
        reverse("movements:self_register", args=[movement.pk]),
        {f"m{movement.pk}-award_code": "cstd_bo"},
        follow=True,
    )
    assert "không có trong các danh hiệu dự kiến" in response.content.decode()
    assert not Registration.objects.exists()
