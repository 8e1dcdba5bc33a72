from django.urls import include, path
from django.views.i18n import set_language

from tdkt.core.access import public
from tdkt.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("", include("tdkt.core.urls")),
    path("accounts/", include("tdkt.accounts.urls")),
    path("org/", include("tdkt.org.urls")),
    path("rulebook/", include("tdkt.rulebook.urls")),
    path("movements/", include("tdkt.movements.urls")),
    path("reviews/", include("tdkt.reviews.urls")),
    path("councils/", include("tdkt.councils.urls")),
    path("awards/", include("tdkt.awards.urls")),
    path("dossiers/", include("tdkt.dossiers.urls")),
    path("clusters/", include("tdkt.clusters.urls")),
    path("reports/", include("tdkt.reports.urls")),
]

handler403 = "tdkt.core.errorviews.forbidden"
handler404 = "tdkt.core.errorviews.not_found"
handler500 = "tdkt.core.errorviews.server_error"
