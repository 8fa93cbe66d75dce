from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from fupin.objects.models import Category
from fupin.records.models import Secrecy
from fupin.regions.models import Level
from fupin.schedule.models import Retention
from fupin.search.models import Kind
from fupin.search.selectors import SORTS, Filters

ANY = [("", "不限")]
YES_NO = [*ANY, ("1", "是"), ("0", "否")]


class QuickSelect(forms.Select):
    """A select box of flat choices, written out in Python: Django renders a template for
    each option, and the 8 boxes cost a results page about 6 ms (now 2)."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


def _choice(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=QuickSelect)


class SearchForm(forms.Form):
    """The query and its filters, shared by the page and the API's query parameters."""

    q = forms.CharField(label="检索词", max_length=200, required=False)
    kind = _choice("类别", ANY + Kind.choices)
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100, required=False)
    level = _choice("层级", ANY + Level.choices)
    region = forms.RegexField(label="区划代码", regex=r"^[0-9]{2,12}$", required=False)
    unit = forms.IntegerField(label="立档单位编号", min_value=1, required=False)
    category = _choice("门类", ANY + Category.choices)
    schedule_row = forms.IntegerField(label="归档范围条目编号", min_value=1, required=False)
    retention = _choice("保管期限", ANY + Retention.choices)
    secrecy = _choice("密级", [*ANY, ("none", "非涉密"), *Secrecy.choices[1:]])
    has_scan = _choice("有扫描件", YES_NO)
    complete = _choice("完整（已归档且有扫描件）", YES_NO)
    sort = _choice("排序", [(k, v[0]) for k, v in SORTS.items()])
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
