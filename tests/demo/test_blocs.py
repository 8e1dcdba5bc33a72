"""The demo's emulation blocs (demo/blocs.py): every bloc in two clusters, each with a finished year (to
the published ranking, the conference's vote and the proposals' dossier) and a year in progress; the
`khoitruong` login heads a cluster this year only, `canbokhoi` scores its department's sheet."""

from __future__ import annotations

from django.urls import reverse

from tdkt.accounts.models import User
from tdkt.clusters.enums import BlocRole, SheetStatus, YearStatus
from tdkt.clusters.models import Adjustment, Bloc, BlocMembership, ClusterYear, Evidence, Sheet, Standing
from tdkt.demo.blocs import DONE, UNDER_WAY
from tdkt.demo.catalogue import DEFAULT_PEOPLE, DEFAULT_SEED, DEMO_PASSWORD
from tdkt.demo.generator import demo_logins, generate


def test_every_bloc_has_a_finished_year_and_one_in_progress_per_cluster(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    generate(people=DEFAULT_PEOPLE, seed=DEFAULT_SEED)
    for bloc in Bloc.objects.all():
        clusters = list(bloc.clusters.all())
        assert len(clusters) == 2, bloc.code
        for cluster in clusters:
            done = ClusterYear.objects.get(cluster=cluster, year=DONE)
            assert done.status == YearStatus.PUBLISHED and done.dossier_id and done.meeting_id
            assert set(Sheet.objects.filter(cluster_year=done).values_list("status", flat=True)) == {
                SheetStatus.LOCKED
            }
            standings = list(Standing.objects.filter(cluster_year=done).order_by("rank"))
            assert (
                standings[0].rank == 1
                and standings[0].proposed_award == "co_thi_dua_bo"
                and standings[0].passed
            )
            assert Adjustment.objects.filter(score__sheet__cluster_year=done).exclude(reason="").exists()
            assert Evidence.objects.filter(score__sheet__cluster_year=done).exists()
            under_way = ClusterYear.objects.get(cluster=cluster, year=UNDER_WAY)
            assert under_way.status in (YearStatus.SCORING, YearStatus.EXPLANATION)
            heads = BlocMembership.objects.filter(cluster=cluster, role=BlocRole.HEAD)
            assert heads.filter(year=DONE).count() == heads.filter(year=UNDER_WAY).count() == 1
    # the bloc head of the demo heads its cluster in the year under way, and was not head the year before
    head = User.objects.get(username="khoitruong")
    year = ClusterYear.objects.get(cluster__bloc__code="KHOI-1", cluster__order=1, year=UNDER_WAY)
    assert year.status == YearStatus.EXPLANATION
    assert head.has_perm("clusters.lead", year)
    assert not head.has_perm("clusters.lead", ClusterYear.objects.get(cluster=year.cluster, year=DONE))
    # the member's officer answers the adjustment on its own sheet
    officer = User.objects.get(username="canbokhoi")
    adjusted = Adjustment.objects.get(score__sheet__cluster_year=year)
    assert officer.has_perm("clusters.score", adjusted.score.sheet)
    assert "canbokhoi" in [u for u, _r, _unit in demo_logins()]
    assert client.login(username="canbokhoi", password=DEMO_PASSWORD)
    page = client.get(reverse("clusters:sheet", args=[adjusted.score.sheet_id]))
    assert page.status_code == 200 and adjusted.reason in page.content.decode()
