from django import forms

from fupin.use.models import MAX_GRANT_DAYS

CODES_HELP = "每行一个档号；可填件的档号，也可填案卷的档号（查阅整卷）。"


class RequestForm(forms.Form):
    codes = forms.CharField(
        label="档号", widget=forms.Textarea(attrs={"rows": 4}), help_text=CODES_HELP
    )
    purpose = forms.CharField(
        label="利用目的", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    days = forms.IntegerField(label="查阅天数", min_value=1, max_value=MAX_GRANT_DAYS, initial=7)


class ApproveForm(forms.Form):
    days = forms.IntegerField(
        label="批准天数", min_value=1, max_value=MAX_GRANT_DAYS, required=False
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label="不予批准理由", max_length=500)


class PlacedUnitField(forms.ModelChoiceField):
    """Units named with where they are: many village committees share a name."""

    def label_from_instance(self, obj) -> str:
        region = obj.region
        place = region.name
        if region.parent is not None and region.level == "village":
            place = f"{region.parent.name}{region.name}"
        return f"{obj.name}（{place}）"


class LoanForm(forms.Form):
    unit = PlacedUnitField(label="保管单位", queryset=None, empty_label=None)
    codes = forms.CharField(
        label="档号", widget=forms.Textarea(attrs={"rows": 3}), help_text=CODES_HELP
    )
    borrower_name = forms.CharField(label="借阅人", max_length=50)
    borrower_unit = forms.CharField(label="借阅人单位", max_length=200, required=False)
    purpose = forms.CharField(label="利用目的", max_length=500)
    lent_on = forms.DateField(
        label="借出日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(label="应还日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
