from django.urls import path

from tdkt.awards.views import decisions as views

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
]
