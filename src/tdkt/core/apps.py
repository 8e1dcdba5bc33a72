from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tdkt.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from tdkt.core import calendar_data
        from tdkt.core.audit import register_details, register_events

        # the working-day calendar is validated at start-up: a bad date or kind stops the process here,
        # naming the file and the key, instead of miscounting a legal time limit later
        calendar_data.load()
        register_events(
            {
                "calendar.day_add": _("Thêm ngày vào lịch làm việc"),
                "calendar.day_remove": _("Xoá ngày khỏi lịch làm việc"),
                "job.restart": _("Chạy lại tác vụ nền bị dừng giữa chừng"),
            }
        )
        register_details({"replaces": _("thay cho dữ liệu"), "restarts": _("số lần chạy lại")})
