from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tdkt.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from tdkt.core.audit import register_details, register_events

        register_events(
            {
                "user.login": _("Đăng nhập"),
                "user.logout": _("Đăng xuất"),
                "user.locked": _("Khoá tài khoản do đăng nhập sai nhiều lần"),
                "user.unlock": _("Mở khoá đăng nhập"),
                "role.assign": _("Giao vai trò"),
                "role.revoke": _("Thu hồi vai trò"),
            }
        )
        register_details(
            {
                "ip": _("địa chỉ IP"),
                "subtree": _("gồm đơn vị trực thuộc"),
                "user": _("tài khoản"),
                "failures": _("số lần đăng nhập sai"),
            }
        )
