from django.urls import path

from tdkt.core import jobs, views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_list, name="audit_list"),
    path("jobs/<uuid:job_id>/", jobs.job_detail, name="job_detail"),
]
