from django import forms

from fupin.households.files.checklist import MEASURE_LABELS, TYPES
from fupin.households.models import OfficerLevel


class DocumentForm(forms.Form):
    number = forms.TypedChoiceField(
        label="材料类型", coerce=int, choices=[(t.number, f"{t.number}. {t.name}") for t in TYPES]
    )
    date = forms.DateField(label="文件日期", widget=forms.DateInput(attrs={"type": "date"}))
    pages = forms.IntegerField(label="页数", min_value=1, initial=1)
    title = forms.CharField(
        label="题名（可不填，默认“户主+材料类型”）", max_length=300, required=False
    )
    responsible = forms.CharField(
        label="责任者（可不填，默认村委会）", max_length=200, required=False
    )
    file = forms.FileField(label="扫描件（可选）", required=False)


class OfficerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    unit_name = forms.CharField(label="工作单位", max_length=100)
    unit_level = forms.ChoiceField(label="单位层级", choices=OfficerLevel.choices)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别", choices=[(k.value, v) for k, v in MEASURE_LABELS.items()]
    )
    year = forms.IntegerField(label="年度", min_value=2000)
    project = forms.CharField(label="项目", max_length=200)
    scale = forms.CharField(label="规模", max_length=100, required=False)
    funds = forms.DecimalField(label="资金（元）", min_value=0, decimal_places=2, initial=0)
    deadline = forms.DateField(
        label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class IncomeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000)
    wages = forms.DecimalField(label="工资性收入", min_value=0, decimal_places=2, initial=0)
    business = forms.DecimalField(label="经营性收入", min_value=0, decimal_places=2, initial=0)
    transfers = forms.DecimalField(label="转移性收入", min_value=0, decimal_places=2, initial=0)
    property = forms.DecimalField(label="财产性收入", min_value=0, decimal_places=2, initial=0)
    expenses = forms.DecimalField(label="生产经营性支出", min_value=0, decimal_places=2, initial=0)


class RelocationForm(forms.Form):
    item_id = forms.IntegerField(label="县级易地搬迁档案（文件 ID）", min_value=1)
