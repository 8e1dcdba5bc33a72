from tdkt.clusters.views import blocs, year

app_name = "clusters"

urlpatterns = [*blocs.urlpatterns, *year.urlpatterns]
