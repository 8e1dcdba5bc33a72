from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.lockout import client_ip, cool_off, is_locked_out
from tdkt.accounts.selectors import lockout_of, minutes_left
from tdkt.accounts.services import record_lockout


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a client that axes has locked out for this user name (the
    password is then not even checked) and telling it, in Vietnamese, how long to wait."""

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khoá."),
        "locked": _("Bạn đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau %(minutes)s phút."),
    }

    def clean(self):
        # the username field has already dropped surrounding spaces: the name axes counts is the one
        # authentication uses (see lockout.login_username)
        username = self.cleaned_data.get("username")
        if username and self.request is not None and is_locked_out(self.request, username):
            raise self._locked(username)
        try:
            return super().clean()
        except forms.ValidationError:
            if username and getattr(self.request, "axes_locked_out", False):  # this failure reached the limit
                record_lockout(
                    username=username,
                    ip=client_ip(self.request),
                    failures=self.request.axes_failures_since_start or 0,
                )
                raise self._locked(username) from None
            raise

    def _locked(self, username: str) -> forms.ValidationError:
        lockout = lockout_of(username=username, ip=client_ip(self.request))
        minutes = minutes_left(lockout.ends) if lockout else max(1, int(cool_off().total_seconds() // 60))
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"minutes": minutes}
        )


class UnlockForm(forms.Form):
    """Which lockout to lift: a user name at an address, as listed on the lockouts page."""

    username = forms.CharField(label=_("Tên đăng nhập"), max_length=255)
    ip = forms.GenericIPAddressField(label=_("Địa chỉ IP"), required=False)
