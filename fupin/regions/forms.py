from django import forms

from fupin.regions.models import UnitKind


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label="单位类别", choices=UnitKind.choices)
    name = forms.CharField(label="单位名称", max_length=200)
    fonds_code = forms.CharField(label="全宗号", max_length=20)
    fonds_name = forms.CharField(
        label="全宗名称", max_length=200, required=False, help_text="留空则与单位名称相同。"
    )
    leader = forms.CharField(label="分管领导", max_length=100, required=False)
    responsible_department = forms.CharField(label="责任部门", max_length=100, required=False)
    archivists = forms.CharField(
        label="档案工作人员", max_length=300, required=False, help_text="多人用顿号分隔。"
    )


class UnitCreateForm(UnitForm):
    region = forms.CharField(
        label="所在区划代码",
        max_length=12,
        help_text="统计用区划代码：6 位为县级，9 位为乡镇，12 位为村。",
    )
    field_order = ["region"]


class StationedVillagesForm(forms.Form):
    villages = forms.CharField(
        label="驻点村代码",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="12 位村级代码，每行一个或用空格、逗号分隔；留空表示不驻村。",
    )

    def codes(self) -> list[str]:
        text = self.cleaned_data["villages"].replace(",", " ").replace("，", " ")
        return text.split()


class CampaignEndForm(forms.Form):
    code = forms.CharField(label="区划代码", max_length=6, widget=forms.HiddenInput)
    ended_on = forms.DateField(
        label="精准扶贫工作结束日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空则清除（随上级设定）。",
    )
    transfer_due_on = forms.DateField(
        label="移交进馆期限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
