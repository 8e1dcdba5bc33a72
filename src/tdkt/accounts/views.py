from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from tdkt.accounts.forms import LoginForm, client_ip
from tdkt.accounts.services import record_login_success
from tdkt.core.access import authenticated, public


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
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())
password_change = authenticated(PasswordChangeView.as_view())
