"""The setup pages of the clusters app: the blocs, a bloc's clusters and members, the scoring table and the
covenant — shown to the right users, every form writing through the services, every refusal shown in
Vietnamese on the form, and the number of queries flat whatever the number of rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from tdkt.clusters.enums import BlocRole, CriterionKind, YearStatus
from tdkt.clusters.models import Bloc, BlocMembership, Cluster, ClusterYear, Criterion, Pledge, Target
from tdkt.core.models import AuditEvent
from tests.clusters.conftest import YEAR, build_table, sign_all
from tests.factories import make_user, unit


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def post(client, user, url, data, status=302):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, (response.status_code, response.get("Location"))
    return response


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---------------------------------------------------------------------------------------------- blocs


def test_the_organiser_sees_every_bloc_with_its_clusters_years_and_the_form_to_create_one(client, world):
    body = page(client, world.spc, reverse("clusters:bloc_list"))
    assert "Khối các Sở thử nghiệm" in body and "Cụm thi đua số 1" in body
    assert "Chuẩn bị (giao ước, bảng điểm)" in body  # the status of the 2025 year
    assert "Tạo khối thi đua" in body
    assert "Cụm của đơn vị" not in body


def test_a_member_officer_sees_the_cluster_of_their_unit_first_and_no_form(client, world):
    body = page(client, world.officers[1], reverse("clusters:bloc_list"))
    assert body.index("Cụm của đơn vị") < body.index("Các khối thi đua")
    own = body[body.index("Cụm của đơn vị") : body.index("Các khối thi đua")]
    assert "Sở Kinh tế Số tỉnh Bắc Ninh" in own and "Khối phó" in own
    assert "Sở Kinh tế Số tỉnh An Giang" not in own  # another member's unit is not theirs
    assert "Tạo khối thi đua" not in body


def test_a_unit_whose_cluster_year_was_never_opened_sees_its_membership_but_no_bloc(client, world):
    body = page(client, world.outsider, reverse("clusters:bloc_list"))
    assert "Chưa có khối thi đua bạn được xem." in body and "bloc-card" not in body
    own = text(body[body.index("Cụm của đơn vị") :])
    assert "2024 Sở Kinh tế Số tỉnh Điện Biên Cụm thi đua số 1" in own and "Chưa mở năm thi đua" in own


def test_the_organiser_creates_a_bloc_through_the_service(client, world):
    response = post(
        client,
        world.spc,
        reverse("clusters:bloc_list"),
        {"code": "KHOI-2", "name": "Khối các Cục", "owner_unit": world.root.code},
    )
    bloc = Bloc.objects.get(code="KHOI-2")
    assert response["Location"] == reverse("clusters:bloc_detail", args=[bloc.pk])
    assert AuditEvent.objects.filter(event="bloc.create").count() == 1


def test_a_bloc_code_already_taken_is_refused_on_the_form(client, world):
    response = post(
        client,
        world.spc,
        reverse("clusters:bloc_list"),
        {"code": "khoi-t", "name": "Khối trùng mã", "owner_unit": world.root.code},
        status=200,
    )
    assert (
        "Mã khối “KHOI-T” đã có." in text(response.content.decode()) or "đã có" in response.content.decode()
    )
    assert Bloc.objects.count() == 1


def test_a_member_officer_may_not_create_a_bloc(client, world):
    post(
        client,
        world.officers[0],
        reverse("clusters:bloc_list"),
        {"code": "KHOI-X", "name": "Khối X", "owner_unit": world.units[0].code},
        status=403,
    )
    assert not Bloc.objects.filter(code="KHOI-X").exists()


def test_the_bloc_shows_each_cluster_members_with_their_role_for_the_year(client, world):
    body = text(page(client, world.officers[2], reverse("clusters:bloc_detail", args=[world.bloc.pk])))
    assert "Sở Kinh tế Số tỉnh An Giang SO-1 Khối trưởng" in body
    assert "Sở Kinh tế Số tỉnh Bắc Ninh SO-2 Khối phó" in body
    assert "Sở Kinh tế Số tỉnh Cà Mau SO-3 Thành viên" in body
    assert "Xếp đơn vị vào cụm" not in body  # a member reads, the organiser arranges
    last_year = text(
        page(client, world.spc, reverse("clusters:bloc_detail", args=[world.bloc.pk]) + "?year=2024")
    )
    assert "Sở Kinh tế Số tỉnh Điện Biên" in last_year and "Sở Kinh tế Số tỉnh Cà Mau" not in last_year


@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999", "2025.5", "٢٠٢٥", "1899", "%00"])
def test_junk_in_the_year_filter_shows_the_default_year(client, world, junk):
    body = page(client, world.spc, reverse("clusters:bloc_detail", args=[world.bloc.pk]) + f"?year={junk}")
    assert "Các cụm và thành viên năm 2025" in text(body)


def test_the_organiser_adds_a_cluster_sets_a_member_and_opens_the_year(client, world):
    url = reverse("clusters:bloc_detail", args=[world.bloc.pk]) + "?year=2026"
    post(client, world.spc, url, {"action": "cluster", "c-code": "CUM-2", "c-name": "Cụm thi đua số 2"})
    cluster = Cluster.objects.get(code="CUM-2")
    post(
        client,
        world.spc,
        url,
        {
            "action": "member",
            "m-unit": world.outsider_unit.code,
            "m-cluster": cluster.pk,
            "m-year": "2026",
            "m-role": BlocRole.HEAD,
        },
    )
    row = BlocMembership.objects.get(unit=world.outsider_unit, year=2026)
    assert (row.cluster, row.role) == (cluster, BlocRole.HEAD)
    response = post(client, world.spc, url, {"action": "year", "y-cluster": cluster.pk, "y-year": "2026"})
    assert ClusterYear.objects.filter(cluster=cluster, year=2026).exists()
    assert response["Location"].endswith("?year=2026")


def test_a_second_head_is_refused_on_the_members_form(client, world):
    url = reverse("clusters:bloc_detail", args=[world.bloc.pk])
    response = post(
        client,
        world.spc,
        url,
        {
            "action": "member",
            "m-unit": world.units[2].code,
            "m-cluster": world.cluster.pk,
            "m-year": str(YEAR),
            "m-role": BlocRole.HEAD,
        },
        status=200,
    )
    body = text(response.content.decode())
    assert "Cụm đã có khối trưởng năm 2025: Sở Kinh tế Số tỉnh An Giang." in body
    assert BlocMembership.objects.get(unit=world.units[2], year=YEAR).role == BlocRole.MEMBER


def test_a_unit_outside_the_organisers_scope_reads_like_one_that_does_not_exist(client, world):
    other = unit(code="BO-KHAC", name="Bộ Khác", kind="ministry")
    response = post(
        client,
        world.spc,
        reverse("clusters:bloc_detail", args=[world.bloc.pk]),
        {
            "action": "member",
            "m-unit": other.code,
            "m-cluster": world.cluster.pk,
            "m-year": "2025",
            "m-role": "member",
        },
        status=200,
    )
    assert "Không có đơn vị này trong phạm vi bạn được xem." in response.content.decode()
    assert not BlocMembership.objects.filter(unit=other).exists()


def test_opening_a_year_no_regime_judges_is_refused_on_the_form(client, world):
    response = post(
        client,
        world.spc,
        reverse("clusters:bloc_detail", args=[world.bloc.pk]),
        {"action": "year", "y-cluster": world.cluster.pk, "y-year": "2001"},
        status=200,
    )
    assert "Không xét được năm 2001" in response.content.decode()
    assert not ClusterYear.objects.filter(year=2001).exists()


def test_the_head_may_read_the_bloc_but_not_arrange_it(client, world):
    url = reverse("clusters:bloc_detail", args=[world.bloc.pk])
    page(client, world.head, url)
    post(client, world.head, url, {"action": "cluster", "c-code": "CUM-9", "c-name": "Cụm 9"}, status=403)
    assert not Cluster.objects.filter(code="CUM-9").exists()


def test_a_bloc_the_user_takes_no_part_in_is_not_found(client, world):
    page(client, world.outsider, reverse("clusters:bloc_detail", args=[world.bloc.pk]), status=404)
    page(client, world.outsider, reverse("clusters:table", args=[world.bloc.pk, YEAR]), status=404)


# ---------------------------------------------------------------------------------------------- table


def test_the_table_is_a_tree_with_its_points_and_total(client, world):
    body = page(client, world.officers[0], reverse("clusters:table", args=[world.bloc.pk, YEAR]))
    plain = text(body)
    assert "Tổng điểm tối đa: 100 điểm" in plain and "điểm thưởng tối đa 5" in plain
    assert "1.1 Tỷ lệ hồ sơ giải quyết đúng hạn Theo chỉ tiêu giao 40" in plain
    assert (
        'depth-1">Tỷ lệ hồ sơ giải quyết đúng hạn' in body
        and 'depth-0">Thực hiện nhiệm vụ chuyên môn' in body
    )
    assert "Báo cáo của Văn phòng" in plain
    assert "Thêm tiêu chí" not in plain  # members read it


def test_the_organiser_adds_changes_and_removes_lines(client, world):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    post(
        client,
        world.spc,
        url,
        {"action": "save", "code": "1.3", "name": "Cải cách hành chính", "kind": "fixed", "max_points": "5,5",
         "parent": world.lines["1"].pk},
    )  # fmt: skip
    line = Criterion.objects.get(bloc=world.bloc, year=YEAR, code="1.3")
    assert (line.parent, str(line.max_points)) == (world.lines["1"], "5.50")
    body = page(client, world.spc, url + f"?edit={line.pk}")
    assert "Sửa tiêu chí 1.3" in body and 'value="5,5"' in body
    post(
        client,
        world.spc,
        url,
        {"action": "save", "criterion": line.pk, "code": "1.3", "name": "Cải cách hành chính",
         "kind": "fixed", "max_points": "1.234,5", "parent": world.lines["1"].pk},
    )  # fmt: skip
    line.refresh_from_db()
    assert str(line.max_points) == "1234.50"
    assert 'value="1234,5"' in page(client, world.spc, url + f"?edit={line.pk}")  # typed back as it reads
    post(client, world.spc, url, {"action": "remove", "criterion": line.pk})
    assert not Criterion.objects.filter(pk=line.pk).exists()
    assert AuditEvent.objects.filter(event__startswith="criterion.").count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"max_points": "mười"}, "Điểm tối đa phải là một số"),
        ({"max_points": ""}, "Tiêu chí chấm điểm cần điểm tối đa"),
        ({"code": "1.1"}, "Bảng đã có tiêu chí số “1.1”."),
        ({"kind": "target", "cap_ratio": "0,5"}, "Mức trần khi vượt chỉ tiêu tính bằng lần"),
    ],
)
def test_a_wrong_line_is_refused_on_the_form(client, world, data, message):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    fields = {"action": "save", "code": "5", "name": "Tiêu chí mới", "kind": "fixed", "max_points": "10"}
    response = post(client, world.spc, url, {**fields, **data}, status=200)
    assert message in text(response.content.decode())
    assert Criterion.objects.filter(bloc=world.bloc, year=YEAR).count() == 6


def test_the_organiser_copies_last_years_table_into_an_empty_year(client, world):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR + 1])
    body = page(client, world.spc, url)
    assert "Sao chép bảng năm trước" in body and f'<option value="{YEAR}" selected>' in body
    post(client, world.spc, url, {"action": "copy", "from_year": str(YEAR)})
    copied = Criterion.objects.filter(bloc=world.bloc, year=YEAR + 1)
    assert copied.count() == 6 and copied.get(code="1.1").parent.code == "1"
    assert "Sao chép bảng năm trước" not in page(client, world.spc, url)  # only into an empty table


def test_a_frozen_table_says_why_and_refuses_changes(client, world):
    ClusterYear.objects.filter(pk=world.cy.pk).update(status=YearStatus.SCORING)
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    body = text(page(client, world.spc, url))
    assert "bảng tiêu chí đã cố định" in body and "Thêm tiêu chí" not in body
    response = post(
        client, world.spc, url,
        {"action": "save", "code": "9", "name": "Muộn", "kind": "fixed", "max_points": "1"}, status=200,
    )  # fmt: skip
    assert "Đã mở chấm điểm năm 2025: bảng tiêu chí không sửa được nữa." in text(response.content.decode())
    post(client, world.spc, url, {"action": "remove", "criterion": world.lines["4"].pk}, status=200)
    assert Criterion.objects.filter(bloc=world.bloc, year=YEAR).count() == 6


def test_a_member_may_read_the_table_but_not_change_it(client, world):
    url = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    post(client, world.officers[0], url, {"action": "remove", "criterion": world.lines["4"].pk}, status=403)
    post(client, world.head, url, {"action": "remove", "criterion": world.lines["4"].pk}, status=403)
    assert Criterion.objects.filter(pk=world.lines["4"].pk).exists()


# ---------------------------------------------------------------------------------------------- covenant


def test_the_head_records_the_covenant_each_pledge_and_signature(client, world):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    post(
        client, world.head, url,
        {"action": "covenant", "g-on": "15/01/2025", "g-place": "Cà Mau", "g-content": "Thi đua hoàn thành"},
    )  # fmt: skip
    world.cy.refresh_from_db()
    assert (world.cy.covenant_on, world.cy.covenant_place) == (datetime.date(2025, 1, 15), "Cà Mau")
    u = world.units[2]
    post(
        client, world.head, url,
        {"action": "pledge", "unit": u.pk, f"p{u.pk}-content": "Đăng ký",
         f"p{u.pk}-target_{world.lines['1.1'].pk}": "97,5"},
    )  # fmt: skip
    pledge = Pledge.objects.get(cluster_year=world.cy, unit=u)
    assert str(Target.objects.get(pledge=pledge).value) == "97.50"
    post(
        client, world.head, url,
        {"action": "sign", "pledge": pledge.pk, f"s{pledge.pk}-signer": "Nguyễn Văn Ký",
         f"s{pledge.pk}-signer_title": "Giám đốc", f"s{pledge.pk}-on": "15/01/2025"},
    )  # fmt: skip
    pledge.refresh_from_db()
    assert (pledge.signer, pledge.signed_on) == ("Nguyễn Văn Ký", datetime.date(2025, 1, 15))
    body = text(page(client, world.officers[1], url))  # members read it
    assert "Đã ký: Nguyễn Văn Ký, 15/01/2025" in body and "97,50 %" in body


def test_a_covenant_date_outside_the_year_is_refused_on_the_form(client, world):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    response = post(
        client, world.head, url, {"action": "covenant", "g-on": "01/01/2020", "g-place": "X"}, status=200
    )
    assert "Ngày ký giao ước phải trong năm 2025" in text(response.content.decode())
    response = post(client, world.head, url, {"action": "covenant", "g-on": "32/13/2025"}, status=200)
    assert "Ngày không hợp lệ (dạng dd/mm/yyyy)." in response.content.decode()
    world.cy.refresh_from_db()
    assert world.cy.covenant_on is None


def test_a_member_officer_fills_their_own_pledge_only(client, world):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    me, other = world.units[1], world.units[2]
    body = page(client, world.officers[1], url)
    assert f'name="p{me.pk}-content"' in body and f'name="p{other.pk}-content"' not in body
    assert 'name="action" value="sign"' not in body and 'value="covenant"' not in body
    post(client, world.officers[1], url, {"action": "pledge", "unit": me.pk, f"p{me.pk}-content": "Của tôi"})
    assert Pledge.objects.get(unit=me).content == "Của tôi"
    post(
        client,
        world.officers[1],
        url,
        {"action": "pledge", "unit": other.pk, f"p{other.pk}-content": "X"},
        status=403,
    )
    post(client, world.officers[1], url, {"action": "covenant", "g-place": "X"}, status=403)
    assert not Pledge.objects.filter(unit=other).exists()


def test_a_negative_target_and_a_signature_without_targets_are_refused_on_the_form(client, world):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    u = world.units[0]
    response = post(
        client, world.head, url,
        {"action": "pledge", "unit": u.pk, f"p{u.pk}-target_{world.lines['1.1'].pk}": "-5"}, status=200,
    )  # fmt: skip
    assert "Chỉ tiêu của tiêu chí 1.1 phải lớn hơn 0." in text(response.content.decode())
    post(client, world.head, url, {"action": "pledge", "unit": u.pk, f"p{u.pk}-content": "Chưa có chỉ tiêu"})
    pledge = Pledge.objects.get(unit=u)
    response = post(
        client, world.head, url,
        {"action": "sign", "pledge": pledge.pk, f"s{pledge.pk}-signer": "A",
         f"s{pledge.pk}-on": "15/01/2025"},
        status=200,
    )  # fmt: skip
    assert "Sở Kinh tế Số tỉnh An Giang chưa có chỉ tiêu cho: 1.1." in text(response.content.decode())
    pledge.refresh_from_db()
    assert pledge.signed_on is None


def test_after_scoring_opens_the_covenant_is_read_only(client, world):
    sign_all(world)
    ClusterYear.objects.filter(pk=world.cy.pk).update(status=YearStatus.SCORING)
    body = page(client, world.head, reverse("clusters:covenant", args=[world.cy.pk]))
    assert "giao ước không sửa được nữa" in body and 'name="action"' not in body


def test_the_covenant_of_another_cluster_is_not_found(client, world):
    page(client, world.outsider, reverse("clusters:covenant", args=[world.cy.pk]), status=404)


# ---------------------------------------------------------------------------------------------- queries


def _more_blocs(world, n):
    for i in range(n):
        bloc = Bloc.objects.create(code=f"K-{i}", name=f"Khối {i}", owner_unit=world.root)
        for j in range(2):
            cluster = Cluster.objects.create(bloc=bloc, code=f"C-{j}", name=f"Cụm {i}.{j}", order=j)
            ClusterYear.objects.create(cluster=cluster, year=YEAR)
            ClusterYear.objects.create(cluster=cluster, year=YEAR - 1)
            BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=world.units[j], year=YEAR - 1 - i)


def test_the_bloc_list_costs_the_same_for_one_bloc_and_many(client, world, django_assert_max_num_queries):
    counts = {}
    for user in (world.spc, world.officers[0]):
        client.force_login(user)
        with django_assert_max_num_queries(18) as few:
            client.get(reverse("clusters:bloc_list"))
        counts[user.pk] = len(few.captured_queries)
    _more_blocs(world, 6)
    for user in (world.spc, world.officers[0]):
        client.force_login(user)
        with django_assert_max_num_queries(counts[user.pk]):
            response = client.get(reverse("clusters:bloc_list"))
    assert "Cụm 5.1" not in response.content.decode()  # the officer's unit was a member, not that year
    client.force_login(world.spc)
    assert "Cụm 5.1" in client.get(reverse("clusters:bloc_list")).content.decode()


def test_the_bloc_and_table_pages_cost_the_same_whatever_their_size(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.spc)
    detail = reverse("clusters:bloc_detail", args=[world.bloc.pk])
    table = reverse("clusters:table", args=[world.bloc.pk, YEAR])
    with django_assert_max_num_queries(25) as few_detail:
        client.get(detail)
    with django_assert_max_num_queries(25) as few_table:
        client.get(table)
    for i in range(5):
        c = Cluster.objects.create(bloc=world.bloc, code=f"X{i}", name=f"Cụm X{i}", order=10 + i)
        ClusterYear.objects.create(cluster=c, year=YEAR)
        u = unit(code=f"SO-X{i}", name=f"Sở X{i}", kind="provincial", parent=world.root)
        BlocMembership.objects.create(bloc=world.bloc, cluster=c, unit=u, year=YEAR)
    build_table(world.bloc, YEAR - 1)
    for i in range(15):
        Criterion.objects.create(
            bloc=world.bloc, year=YEAR, code=f"2.{i}", name=f"Dòng {i}", kind=CriterionKind.FIXED,
            max_points=1,
            order=100 + i,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        client.get(detail)
    with django_assert_max_num_queries(len(few_table.captured_queries)):
        client.get(table)


def test_the_covenant_page_costs_the_same_whatever_the_members(client, world, django_assert_max_num_queries):
    url = reverse("clusters:covenant", args=[world.cy.pk])
    users = (world.head, world.officers[2], world.spc)
    counts = {}
    for user in users:
        client.force_login(user)
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        counts[user.pk] = len(few.captured_queries)
    for i in range(6):
        u = unit(code=f"SO-Y{i}", name=f"Sở Y{i}", kind="provincial", parent=world.root)
        BlocMembership.objects.create(bloc=world.bloc, cluster=world.cluster, unit=u, year=YEAR)
    sign_all(world)
    for user in users:
        client.force_login(user)
        with django_assert_max_num_queries(counts[user.pk]):
            assert client.get(url).status_code == 200


def test_the_menu_shows_the_blocs_to_members_and_organisers_only(client, world):
    for user, shown in (
        (world.spc, True),
        (world.officers[0], True),
        (make_user("nv", "staff", world.units[0]), False),
    ):
        client.force_login(user)
        items = client.get("/").context["nav_items"]
        labels = [str(c["label"]) for i in items for c in i.get("children") or [i]]
        assert ("Khối, cụm thi đua" in labels) is shown


def test_the_organiser_takes_a_member_out_before_scoring_and_not_after(world, client):
    from tdkt.clusters.models import BlocMembership, Pledge
    from tdkt.core.models import AuditEvent

    w = world
    client.force_login(w.spc)
    url = reverse("clusters:bloc_detail", args=[w.bloc.pk]) + "?year=2025"
    third = BlocMembership.objects.get(unit=w.units[2], year=2025)
    Pledge.objects.create(cluster_year=w.cy, unit=w.units[2], content="Chưa ký")
    page = client.post(url, {"action": "remove_member", "membership": str(third.pk)}, follow=True)
    assert "Đã bỏ Sở Kinh tế Số tỉnh Cà Mau khỏi cụm năm 2025." in page.content.decode()
    assert not BlocMembership.objects.filter(pk=third.pk).exists()
    assert not Pledge.objects.filter(unit=w.units[2]).exists()
    assert AuditEvent.objects.filter(event="bloc.member_remove").count() == 1
    # another bloc's membership id, junk, and a member of a year whose scoring is open: nothing changes
    second = BlocMembership.objects.get(unit=w.units[1], year=2025)
    for junk in ("abc", "99999999999", str(second.pk + 1000)):
        page = client.post(url, {"action": "remove_member", "membership": junk}, follow=True)
        assert "Không có thành viên này trong khối." in page.content.decode()
    w.cy.status = "scoring"
    w.cy.save(update_fields=["status"])
    page = client.post(url, {"action": "remove_member", "membership": str(second.pk)}, follow=True)
    assert "Đã mở chấm điểm năm 2025" in page.content.decode()
    assert BlocMembership.objects.filter(pk=second.pk).exists()
    # a member's officer cannot
    client.force_login(w.officers[0])
    assert client.post(url, {"action": "remove_member", "membership": str(second.pk)}).status_code in (
        403,
        404,
    )


def test_the_members_unit_picker_does_not_say_that_empty_means_all(world, client):
    client.force_login(world.spc)
    page = client.get(reverse("clusters:bloc_detail", args=[world.bloc.pk]) + "?year=2025").content.decode()
    assert "Gõ tên hoặc mã đơn vị để chọn." in page and "để trống: tất cả" not in page
