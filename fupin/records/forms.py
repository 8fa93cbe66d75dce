from django import forms

from fupin.records.models import CategoryCode, Facet, Secrecy
from fupin.schedule import retention


class ItemForm(forms.Form):
    title = forms.CharField(
        label="题名", max_length=500, widget=forms.TextInput(attrs={"autofocus": True, "size": 60})
    )
    title_by_archivist = forms.BooleanField(label="自拟题名（打印时加 [ ]）", required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    responsible = forms.CharField(label="责任者", max_length=200)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    pages = forms.IntegerField(label="页数", min_value=1)
    category = forms.ChoiceField(label="门类", choices=CategoryCode.choices)
    schedule_row_id = forms.TypedChoiceField(label="归档范围条目", coerce=int)
    retention = forms.ChoiceField(label="保管期限", choices=retention.choices)
    class_code_id = forms.TypedChoiceField(label="机构（问题）", coerce=int)
    secrecy = forms.ChoiceField(label="密级", choices=Secrecy.choices, required=False)
    matter = forms.CharField(label="事由（同一事由的文件排在一起）", max_length=200, required=False)
    notes = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, rows=(), classes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule_row_id"].choices = [
            (
                r.pk,
                f"{r.get_category_display()} {r.number} {r.scope_text[:36]}（{r.retention_text}）",
            )
            for r in rows
        ]
        self.fields["class_code_id"].choices = [(c.pk, str(c)) for c in classes]


class FondsForm(forms.Form):
    facet = forms.ChoiceField(label="分类方法", choices=Facet.choices)
    code_template = forms.CharField(label="档号格式", max_length=120)


class ClassCodeForm(forms.Form):
    code = forms.CharField(label="代码", max_length=12)
    name = forms.CharField(label="名称", max_length=60)
