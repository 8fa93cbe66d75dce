from django import forms

from fupin.accounts.roles import Role


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    home_region = forms.ChoiceField(label="所属区划")
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="用户首次登录时必须修改。"
    )

    def __init__(self, *args, regions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_region"].choices = [(r.code, f"{r.code} {r.name}") for r in regions]


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    region = forms.CharField(label="区划代码", max_length=12, required=False)
    unit = forms.IntegerField(label="单位编号（单位档案员）", required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新的初始密码", widget=forms.PasswordInput)
