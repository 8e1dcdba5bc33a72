from django.urls import path

from tdkt.awards.views import decisions as views
from tdkt.awards.views import imports as legacy_views
from tdkt.awards.views import register

app_name = "awards"
urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/file.<str:fmt>", views.decision_file, name="decision_file"),
    path("decisions/<int:pk>/certificates.pdf", views.decision_certificates, name="decision_certificates"),
    path("decisions/<int:pk>/signed/", views.decision_signed, name="decision_signed"),
    path("decisions/<int:pk>/signed.pdf", views.decision_signed_file, name="decision_signed_file"),
    path("records/<int:pk>/certificate.pdf", views.award_certificate, name="award_certificate"),
    path("certificates/layouts/", views.certificate_layouts, name="certificate_layouts"),
    path("certificates/layouts/<str:code>/", views.certificate_layout_edit, name="certificate_layout_edit"),
    path(
        "certificates/layouts/<str:code>/calibration.pdf",
        views.certificate_calibration,
        name="certificate_calibration",
    ),
    path("register/", register.register, name="register"),
    path("register/export.xlsx", register.register_export_view, name="register_export"),
    path("records/<int:pk>/", register.record_detail, name="record_detail"),
    path("records/<int:pk>/revoke/", register.record_revoke, name="record_revoke"),
    path("register/import/", legacy_views.legacy_import, name="legacy_import"),
    path("register/import/<uuid:job_id>/", legacy_views.legacy_review, name="legacy_review"),
    path("register/import/<uuid:job_id>/report/", legacy_views.legacy_report, name="legacy_report"),
]
