from django.urls import path

from tdkt.org.views import collectives, identity, imports, people, restructuring, search, timeline, units

app_name = "org"
urlpatterns = [
    path("units/", units.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/search/", units.unit_search, name="unit_search"),
    path("search/", search.search_page, name="search"),
    path("people/", people.person_list, name="person_list"),
    path("people/export.xlsx", people.person_export, name="person_export"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/timeline/", timeline.person_timeline, name="person_timeline"),
    path("collectives/<int:pk>/", collectives.collective_detail, name="collective_detail"),
    path("import/", imports.import_start, name="import_start"),
    path("import/template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("import/<uuid:job_id>/", imports.import_status, name="import_status"),
    path("identity-reviews/", identity.identity_list, name="identity_list"),
    path("identity-reviews/<int:pk>/", identity.identity_detail, name="identity_detail"),
    path("identity-reviews/<int:pk>/merge/", identity.identity_merge, name="identity_merge"),
    path("identity-reviews/<int:pk>/reject/", identity.identity_reject, name="identity_reject"),
    path("restructurings/", restructuring.restructuring_list, name="restructuring_list"),
    path("restructurings/new/", restructuring.restructuring_create, name="restructuring_create"),
]
