from django.urls import path

from tdkt.reports import views

app_name = "reports"
urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/refresh/", views.statistics_refresh, name="statistics_refresh"),
    path("statistics/export/<slug:chart>/", views.statistics_export, name="statistics_export"),
    path("forms/", views.report_forms, name="forms"),
    path("forms/download/", views.report_form_download, name="form_download"),
]
