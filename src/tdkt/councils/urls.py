from django.urls import path

from tdkt.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("new/", views.council_create, name="council_create"),
    path("<int:pk>/", views.council_detail, name="council_detail"),
    path("<int:pk>/edit/", views.council_edit, name="council_edit"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/", views.member_update, name="member_update"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/ballots/open/", views.ballot_open, name="ballot_open"),
    path("meetings/<int:pk>/bien-ban.<str:kind>", views.meeting_minutes_file, name="meeting_minutes"),
    path("ballots/mine/", views.my_ballots, name="my_ballots"),
    path("ballots/<int:pk>/vote/", views.ballot_vote, name="ballot_vote"),
    path("ballots/<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("ballots/<int:pk>/tallies/", views.ballot_tallies, name="ballot_tallies"),
    path("ballots/<int:pk>/kiem-phieu.<str:kind>", views.counting_minutes_file, name="counting_minutes"),
]
