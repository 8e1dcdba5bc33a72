from django.urls import path

from tdkt.core import views, views_calendar, views_jobs, views_notifications

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_list, name="audit_list"),
    path("jobs/", views_jobs.job_list, name="job_list"),
    path("jobs/<uuid:job_id>/", views_jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/restart/", views_jobs.job_restart, name="job_restart"),
    path("jobs/<uuid:job_id>/file/", views_jobs.job_file, name="job_file"),
    path("notifications/", views_notifications.notification_list, name="notification_list"),
    path(
        "notifications/<int:notification_id>/open/",
        views_notifications.notification_open,
        name="notification_open",
    ),
    path("notifications/read-all/", views_notifications.notification_read_all, name="notification_read_all"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/add/", views_calendar.calendar_add, name="calendar_add"),
    path("calendar/<int:pk>/remove/", views_calendar.calendar_remove, name="calendar_remove"),
]
