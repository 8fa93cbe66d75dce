from django import forms

from fupin.objects.models import Category
from fupin.records.models import Secrecy
from fupin.regions.models import Level
from fupin.schedule.models import Retention
from fupin.search.models import Kind
from fupin.search.selectors import SORTS, Filters

ANY = [("", "不限")]
YES_NO = [*ANY, ("1", "是"), ("0", "否")]


class SearchForm(forms.Form):
    """The query and its filters, shared by the page and the API's query parameters."""

    q = forms.CharField(label="检索词", max_length=200, required=False)
    kind = forms.ChoiceField(label="类别", choices=ANY + Kind.choices, required=False)
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100, required=False)
    level = forms.ChoiceField(label="层级", choices=ANY + Level.choices, required=False)
    region = forms.RegexField(label="区划代码", regex=r"^[0-9]{2,12}$", required=False)
    unit = forms.IntegerField(label="立档单位编号", min_value=1, required=False)
    category = forms.ChoiceField(label="门类", choices=ANY + Category.choices, required=False)
    schedule_row = forms.IntegerField(label="归档范围条目编号", min_value=1, required=False)
    retention = forms.ChoiceField(label="保管期限", choices=ANY + Retention.choices, required=False)
    secrecy = forms.ChoiceField(
        label="密级", choices=[*ANY, ("none", "非涉密"), *Secrecy.choices[1:]], required=False
    )
    has_scan = forms.ChoiceField(label="有扫描件", choices=YES_NO, required=False)
    complete = forms.ChoiceField(label="完整（已归档且有扫描件）", choices=YES_NO, required=False)
    sort = forms.ChoiceField(
        label="排序", choices=[(k, v[0]) for k, v in SORTS.items()], required=False
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def filters(self) -> Filters:
        data = self.cleaned_data
        secrecy = {"": None, "none": ""}.get(data["secrecy"], data["secrecy"])
        flags = {name: {"1": True, "0": False}.get(data[name]) for name in ("has_scan", "complete")}
        return Filters(
            kind=data["kind"],
            year=data["year"],
            level=data["level"],
            region=data["region"],
            unit=data["unit"],
            category=data["category"],
            schedule_row=data["schedule_row"],
            retention=data["retention"],
            secrecy=secrecy,
            **flags,
        )
