from django import forms

from fupin.schedule import retention


class GroupForm(forms.Form):
    unit_id = forms.TypedChoiceField(label="立档单位", coerce=int)
    year = forms.IntegerField(label="年度", min_value=1949)
    retention = forms.ChoiceField(label="保管期限", choices=retention.choices)
    title = forms.CharField(label="组题名", max_length=300)
    description = forms.CharField(label="组说明", required=False, widget=forms.Textarea)
    photographer = forms.CharField(label="摄影者", max_length=100, required=False)

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_id"].choices = [(u.pk, f"{u.fonds_code} {u.name}") for u in units]


class PhotoDescriptionForm(forms.Form):
    """Description items shared by every photo of one upload; each may be edited later."""

    photographer = forms.CharField(label="摄影者", max_length=100, required=False)
    place = forms.CharField(label="地点", max_length=200, required=False)
    people = forms.CharField(label="人物", max_length=300, required=False)
    background = forms.CharField(label="背景", max_length=300, required=False)
    caption = forms.CharField(label="文字说明", required=False, widget=forms.Textarea)
    see_also = forms.CharField(label="参见号", max_length=200, required=False)
