from django.urls import path

from tdkt.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("create/", views.dossier_create, name="create"),
    path("from-round/<int:round_id>/", views.dossier_from_round, name="from_round"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/nominations/add/", views.nomination_add, name="nomination_add"),
    path("nominations/<int:nid>/remove/", views.nomination_remove, name="nomination_remove"),
    path("nominations/<int:nid>/justify/", views.nomination_justify, name="nomination_justify"),
    path("nominations/<int:nid>/report/", views.report_edit, name="report"),
    path("nominations/<int:nid>/report/confirm/", views.report_confirm, name="report_confirm"),
    path("nominations/<int:nid>/report.<str:kind>", views.report_file, name="report_file"),
    path("nominations/<int:nid>/state-outcome/", views.state_outcome, name="state_outcome"),
    path("papers/<int:cid>/upload/", views.paper_upload, name="paper_upload"),
    path("files/<int:fid>/", views.paper_version, name="paper_version"),
    path("<int:pk>/papers/<slug:code>.<str:kind>", views.paper_draft, name="paper_draft"),
    path("<int:pk>/approve/", views.dossier_approve, name="approve"),
    path("<int:pk>/send/", views.dossier_send, name="send"),
    path("<int:pk>/receive/", views.dossier_receive, name="receive"),
    path("<int:pk>/return/", views.dossier_return, name="return"),
    path("<int:pk>/accept/", views.dossier_accept, name="accept"),
    path("<int:pk>/council/", views.dossier_to_council, name="to_council"),
    path("<int:pk>/decide/", views.dossier_decide, name="decide"),
    path("<int:pk>/decision/", views.dossier_decision, name="decision"),
    path("<int:pk>/prepare-state/", views.dossier_prepare_state, name="prepare_state"),
    path("<int:pk>/sign/", views.dossier_sign, name="sign"),
    path("<int:pk>/send-up/", views.dossier_send_up, name="send_up"),
    path("<int:pk>/resend-up/", views.dossier_resend_up, name="resend_up"),
    path("<int:pk>/comments/", views.comment_add, name="comment"),
    path("export.xlsx", views.dossier_export, name="dossier_export"),
]
