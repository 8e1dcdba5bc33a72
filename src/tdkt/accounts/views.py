from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tdkt.accounts.forms import LoginForm, UnlockForm
from tdkt.accounts.lockout import client_ip, cool_off, failure_limit
from tdkt.accounts.selectors import current_lockouts
from tdkt.accounts.services import lockout_clear, record_login_success
from tdkt.core.access import authenticated, permission_required, public
from tdkt.core.errors import ServiceError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record_login_success(user=form.get_user(), ip=client_ip(self.request))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, gettext_lazy("Đã đổi mật khẩu."))
        return response


@permission_required("core.view_audit")
@require_GET
def lockout_list(request):
    context = {
        "lockouts": current_lockouts(),
        "failure_limit": failure_limit(),
        "lockout_minutes": int(cool_off().total_seconds() // 60),
    }
    return render(request, "accounts/lockout_list.html", context)


@permission_required("core.view_audit")
@require_POST
def lockout_unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Không xác định được tài khoản cần mở khoá."))
        return redirect("accounts:lockout_list")
    username, ip = form.cleaned_data["username"], form.cleaned_data["ip"] or None
    try:
        lockout_clear(actor=request.user, username=username, ip=ip)
    except ServiceError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã mở khoá tài khoản %(user)s tại địa chỉ %(ip)s.") % {"user": username, "ip": ip or "—"},
        )
    return redirect("accounts:lockout_list")


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())
password_change = authenticated(PasswordChangeView.as_view())
