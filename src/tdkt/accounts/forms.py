from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.services import is_locked_out, record_login_failure


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khoá."),
        "locked": _("Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if username and is_locked_out(username):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.TDKT_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                record_login_failure(username=username, ip=client_ip(self.request))
            raise
