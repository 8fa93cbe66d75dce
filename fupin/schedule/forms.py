from django import forms

from fupin.filing.models import Office
from fupin.schedule import retention


class RefinementForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    effective_from = forms.DateField(
        label="生效日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = forms.ChoiceField(label="细化主体")

    def __init__(self, *args, owners=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners


class ItemForm(forms.Form):
    parent_row = forms.TypedChoiceField(label="细化的原条目", coerce=int)
    scope_text = forms.CharField(
        label="细化条目的归档范围", widget=forms.Textarea(attrs={"rows": 2})
    )
    retention_options = forms.MultipleChoiceField(
        label="保管期限", choices=retention.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent_row"].choices = [
            (
                r.pk,
                f"{r.get_level_display()}·{r.get_category_display()} {r.number} "
                f"{r.scope_text[:40]}（{r.retention_text}）",
            )
            for r in rows
        ]


class DecisionForm(forms.Form):
    office = forms.ChoiceField(label="审查机关", choices=Office.choices)
    accept = forms.TypedChoiceField(
        label="意见", choices=[("1", "同意备案"), ("0", "退回")], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label="理由（退回时必填）", required=False, max_length=500)
