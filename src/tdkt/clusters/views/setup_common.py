"""What the setup pages (blocs, the scoring table, the covenant) share: the scoped getters and the
breadcrumbs."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tdkt.clusters import selectors
from tdkt.clusters.models import ClusterYear

VIEW = "clusters.view"
MANAGE = "clusters.manage"
LEAD = "clusters.lead"
KINDS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def bloc_for(request, pk: int):
    """The bloc, when it is one the user may see (organiser, or a member unit some year); else 404."""
    return get_object_or_404(selectors.blocs_for(request.user), pk=pk)


def cluster_year(request, cy_pk: int, **_kwargs) -> ClusterYear:
    cy = ClusterYear.objects.select_related("cluster__bloc__owner_unit").filter(pk=cy_pk).first()
    if cy is None:
        raise Http404
    return cy


def crumbs(*tail):
    return [(_("Khối, cụm thi đua"), reverse("clusters:bloc_list")), *tail]
