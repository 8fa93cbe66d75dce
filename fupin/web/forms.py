from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from fupin.accounts.services import auth_login_failed, login_is_throttled
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
        if login_is_throttled(username=username, ip=ip):
            auth_login_failed(username=username, ip=ip, reason="登录失败次数过多，已暂时锁定")
            raise ValidationError("登录失败次数过多，请稍后再试（15 分钟后解除锁定）。")
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
