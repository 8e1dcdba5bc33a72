from django.urls import path

from tdkt.movements.views import consolidated, movements, registrations

app_name = "movements"
urlpatterns = [
    path("", movements.movement_list, name="movement_list"),
    path("new/", movements.movement_create, name="movement_create"),
    path("<int:pk>/", movements.movement_detail, name="movement_detail"),
    path("<int:pk>/edit/", movements.movement_edit, name="movement_edit"),
    path("<int:pk>/launch/", movements.movement_launch, name="movement_launch"),
    path("<int:pk>/close/", movements.movement_close, name="movement_close"),
    path("<int:pk>/attachments/", movements.attachment_add, name="attachment_add"),
    path("<int:pk>/document/", movements.document_download, name="document_download"),
    path("attachments/<int:pk>/", movements.attachment_download, name="attachment_download"),
    path("<int:pk>/units/<int:unit_id>/register/", registrations.unit_registration, name="unit_registration"),
    path("<int:pk>/register-self/", registrations.self_register, name="self_register"),
    path("<int:pk>/consolidated/", consolidated.consolidated, name="consolidated"),
    path("<int:pk>/consolidated/export.xlsx", consolidated.consolidated_export, name="consolidated_export"),
    path("mine/", registrations.my_registrations, name="my_registrations"),
    path("registrations/pending/", registrations.approval_list, name="approval_list"),
    path("registrations/<int:pk>/approve/", registrations.registration_approve, name="registration_approve"),
    path("registrations/<int:pk>/reject/", registrations.registration_reject, name="registration_reject"),
    path(
        "registrations/<int:pk>/withdraw/", registrations.registration_withdraw, name="registration_withdraw"
    ),
]
