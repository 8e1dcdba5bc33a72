from django.urls import path

from tdkt.rulebook import views

app_name = "rulebook"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("awards/<slug:code>/", views.award_detail, name="award_detail"),
    path("people/<int:pk>/", views.person_eligibility, name="person_eligibility"),
    path("collectives/<int:pk>/", views.collective_eligibility, name="collective_eligibility"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/run/", views.candidates_run, name="candidates_run"),
    path("candidates/export.xlsx", views.candidates_export, name="candidates_export"),
    path("runs/<int:pk>/", views.run_status, name="run_status"),
    path("settings/", views.settings_list, name="settings"),
    path("settings/<str:key>/", views.setting_edit, name="setting_edit"),
    path("settings/<str:key>/reset/", views.setting_reset, name="setting_reset"),
]
