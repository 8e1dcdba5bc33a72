"""Access table of the clusters' setup pages (issue 11, items 1–3): the blocs, a bloc's clusters and
members, the scoring table, the covenant and its document.

Bloc "Khối Alpha tổ chức" is department A's own (A's specialist organises it; every role of A with
`clusters.view` reads it as its organising unit); its cluster "Cụm Alpha" has A as head and B as member
in 2025, its year in setup. Bloc "Khối Beta tổ chức" is department B's, its cluster "Cụm Beta" with B alone:
nothing of A's. Targets: a — A's bloc (its table, its cluster's year); b — B's.

The policy in words:
- the blocs list is for whoever holds `clusters.view` or `clusters.score` somewhere; creating a bloc is the
  organiser's (`clusters.manage`: the specialist), for an organising unit of their scope (another is
  answered on the form like a unit that does not exist: tests/security/test_clusters_setup_hostile.py);
- a bloc, its table and a cluster's year answer 404 to whoever holds the right elsewhere and does not take
  part; arranging the bloc and its table is the organiser's only, even for the members and the head;
- the covenant is written by `clusters.lead`: the organiser, and the officer and the bloc head of the
  head unit for that year; the unit head of a member reads it.
"""

from __future__ import annotations

from django.urls import reverse

from tdkt.clusters.enums import BlocRole, CriterionKind
from tdkt.clusters.models import (
    Bloc,
    BlocMembership,
    Cluster,
    ClusterYear,
    Criterion,
    Pledge,
    Target,
)
from tests.architecture.matrix import Endpoint, Request, World

YEAR = 2025
NAMES = {"a": "Khối Alpha tổ chức", "b": "Khối Beta tổ chức"}

# fmt: off
MATRIX = """
# url name                       method target  adm spc off hd  cnc ldr blc ins prt stf non ano
clusters:bloc_list               GET    -       200 200 200 200 403 200 200 200 403 403 403 log
clusters:bloc_list               POST   a       302 302 403 403 403 403 403 403 403 403 403 log
clusters:bloc_detail             GET    a       200 200 200 200 403 200 200 200 403 403 403 log
clusters:bloc_detail             GET    b       200 404 404 404 403 404 404 404 403 403 403 log
clusters:bloc_detail             POST   a       302 302 403 403 403 403 403 403 403 403 403 log
clusters:bloc_detail             POST   b       302 404 404 404 403 404 404 404 403 403 403 log
clusters:table                   GET    a       200 200 200 200 403 200 200 200 403 403 403 log
clusters:table                   GET    b       200 404 404 404 403 404 404 404 403 403 403 log
clusters:table                   POST   a       302 302 403 403 403 403 403 403 403 403 403 log
clusters:table                   POST   b       302 404 404 404 403 404 404 404 403 403 403 log
clusters:covenant                GET    a       200 200 200 200 403 200 200 200 403 403 403 log
clusters:covenant                GET    b       200 404 404 404 403 404 404 404 403 403 403 log
clusters:covenant                POST   a       302 302 302 403 403 403 302 403 403 403 403 log
clusters:covenant                POST   b       302 404 404 404 403 404 404 404 403 403 403 log
clusters:covenant_document       GET    a       200 200 200 200 403 200 200 200 403 403 403 log
clusters:covenant_document       GET    b       200 404 404 404 403 404 404 404 403 403 403 log
"""
# fmt: on


def build(world: World) -> None:
    a, b = world.units["a"], world.units["b"]
    objs: dict = {}
    for key, owner in (("a", a), ("b", b)):
        bloc = Bloc.objects.create(code=f"H2-K{key.upper()}", name=NAMES[key], owner_unit=owner)
        cluster = Cluster.objects.create(bloc=bloc, code=f"H2-C{key.upper()}", name=f"Cụm {key}", order=1)
        members = ((a, BlocRole.HEAD), (b, BlocRole.MEMBER)) if key == "a" else ((b, BlocRole.HEAD),)
        for unit, role in members:
            BlocMembership.objects.create(bloc=bloc, cluster=cluster, unit=unit, year=YEAR, role=role)
        Criterion.objects.create(
            bloc=bloc, year=YEAR, code="1", name="Tiêu chí một", kind=CriterionKind.FIXED, max_points=10
        )
        objs[key] = (bloc, ClusterYear.objects.create(cluster=cluster, year=YEAR))
    world.extra["h2"] = objs


def state() -> tuple:
    return (
        tuple(Bloc.objects.order_by("pk").values_list("pk", flat=True)),
        tuple(Cluster.objects.order_by("pk").values_list("pk", flat=True)),
        tuple(BlocMembership.objects.order_by("pk").values_list("pk", "cluster_id", "role")),
        tuple(ClusterYear.objects.order_by("pk").values_list("pk", "covenant_on", "covenant_place")),
        tuple(Criterion.objects.order_by("pk").values_list("pk", "max_points")),
        tuple(Pledge.objects.order_by("pk").values_list("pk", "content", "signed_on")),
        tuple(Target.objects.order_by("pk").values_list("pk", "value")),
    )


def _bloc(w: World, t: str) -> Bloc:
    return w.extra["h2"][t][0]


def _cy(w: World, t: str) -> ClusterYear:
    return w.extra["h2"][t][1]


def _bloc_list(w: World, t: str) -> Request:
    url = reverse("clusters:bloc_list")
    if t == "-":
        return Request(url)
    return Request(
        url,
        {"code": f"H2-NEW-{t}", "name": "Khối mới", "owner_unit": w.units[t].code},
        redirect="/clusters/khoi/",
    )


def _bloc_detail(w: World, t: str) -> Request:
    """GET: the page (the bloc's name on it); POST: the organiser adds a cluster."""
    url = reverse("clusters:bloc_detail", args=[_bloc(w, t).pk])
    data = {"action": "cluster", "c-code": "H2-NEW", "c-name": "Cụm mới"}
    return Request(url, data, marker=NAMES[t], redirect=url)


def _table(w: World, t: str) -> Request:
    """GET: the table (the bloc's name on it); POST: the organiser adds a line."""
    url = reverse("clusters:table", args=[_bloc(w, t).pk, YEAR])
    data = {"action": "save", "code": "2", "name": "Tiêu chí hai", "kind": "fixed", "max_points": "5"}
    return Request(url, data, marker=NAMES[t], redirect=url)


def _covenant(w: World, t: str) -> Request:
    """GET: the covenant page (the bloc's name on it); POST: the common content, by whoever leads."""
    url = reverse("clusters:covenant", args=[_cy(w, t).pk])
    data = {"action": "covenant", "g-on": "15/01/2025", "g-place": "Hà Nội", "g-content": "Giao ước"}
    return Request(url, data, marker=NAMES[t], redirect=url)


ENDPOINTS = {
    "clusters:bloc_list": Endpoint(_bloc_list, changes=True),
    "clusters:bloc_detail": Endpoint(_bloc_detail, changes=True),
    "clusters:table": Endpoint(_table, changes=True),
    "clusters:covenant": Endpoint(_covenant, changes=True),
    "clusters:covenant_document": Endpoint(
        lambda w, t: Request(reverse("clusters:covenant_document", args=[_cy(w, t).pk, "docx"]))
    ),
}
