from django.urls import path

from tdkt.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("create/", views.round_create, name="round_create"),
    path("mine/", views.mine, name="mine"),
    path("people/<int:person_id>/", views.person_candidacies, name="person_candidacies"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/prefill/", views.round_prefill, name="round_prefill"),
    path("<int:pk>/candidates/add/", views.candidate_add, name="candidate_add"),
    path("candidates/<int:cid>/drop/", views.candidate_drop, name="candidate_drop"),
    path("candidates/<int:cid>/restore/", views.candidate_restore, name="candidate_restore"),
    path("<int:pk>/send/", views.round_send, name="round_send"),
    path("<int:pk>/reopen/", views.round_reopen, name="round_reopen"),
    path("<int:pk>/conclude/", views.round_conclude, name="round_conclude"),
    path("<int:pk>/decision/", views.round_decision, name="round_decision"),
    path("<int:pk>/export.xlsx", views.round_export, name="round_export"),
]
