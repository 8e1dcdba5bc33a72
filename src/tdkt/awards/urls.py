from django.urls import path

from tdkt.awards import views

app_name = "awards"
urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/file.<str:fmt>", views.decision_file, name="decision_file"),
]
