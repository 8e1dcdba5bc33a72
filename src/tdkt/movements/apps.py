from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _describe_movements(events):
    """A movement links to its page (no query: the id is on the event)."""
    from django.urls import reverse

    return {
        e.pk: (None, reverse("movements:movement_detail", args=[int(e.object_id)]))
        for e in events
        if e.object_id.isdigit()
    }


class MovementsConfig(AppConfig):
    name = "tdkt.movements"
    label = "movements"
    verbose_name = _("Phong trào thi đua")

    def ready(self):
        from tdkt.core.audit import Presenter, register_details, register_events, register_presenter
        from tdkt.core.dashboard import register_panels
        from tdkt.movements import rules  # noqa: F401  (the permissions of the app)
        from tdkt.movements.selectors import dashboard_panels

        register_panels(dashboard_panels)

        import datetime

        from tdkt.core.periodic import periodic
        from tdkt.movements.services import remind_registration_deadlines

        periodic("movements.registration_deadlines", every=datetime.timedelta(hours=1))(
            remind_registration_deadlines
        )
        register_events(
            {
                "movement.create": _("Soạn phong trào thi đua"),
                "movement.update": _("Sửa dự thảo phong trào thi đua"),
                "movement.launch": _("Phát động phong trào thi đua"),
                "movement.close": _("Kết thúc phong trào thi đua"),
                "movement.attach": _("Thêm tài liệu vào phong trào thi đua"),
                "registration.create": _("Đăng ký thi đua cho cán bộ, tập thể"),
                "registration.self_create": _("Cá nhân tự đăng ký thi đua"),
                "registration.approve": _("Duyệt đăng ký thi đua"),
                "registration.reject": _("Không duyệt đăng ký thi đua"),
                "registration.withdraw": _("Rút đăng ký thi đua"),
            }
        )
        register_details(
            {
                "participants": _("đơn vị tham gia"),
                "doc_file": _("tệp văn bản phát động"),
                "movement": _("phong trào"),
                "title": _("tên tài liệu"),
                "file": _("tệp"),
                "size": _("dung lượng"),
                "note": _("ghi chú"),
                "reason": _("lý do"),
            }
        )
        register_presenter("movements.movement", Presenter(describe=_describe_movements))
