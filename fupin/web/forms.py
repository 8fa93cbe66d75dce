from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from fupin.accounts.services import auth_login_failed, auth_login_throttled, login_locked_until
from fupin.core.middleware import client_ip


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self) -> dict:
        data = super().clean()
        username, password = data.get("username", ""), data.get("password", "")
        if not username or not password:
            return data
        ip = client_ip(self.request)
        until = login_locked_until(username=username, ip=ip)
        if until is not None:
            auth_login_throttled(username=username, ip=ip, until=until)
            at = timezone.localtime(until)
            raise ValidationError(f"登录失败次数过多，已暂时锁定，请于 {at:%H:%M} 后再试。")
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            auth_login_failed(username=username, ip=ip, reason="用户名或密码错误")
            raise ValidationError("用户名或密码错误，或账号已停用。")
        return data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(
        label="新密码", widget=forms.PasswordInput, help_text="至少 10 位，不能是纯数字或常见密码。"
    )
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("new_password") != data.get("new_password2"):
            raise ValidationError("两次输入的新密码不一致。")
        return data
