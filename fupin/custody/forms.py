from django import forms

from fupin.custody.conditions import GUARDS
from fupin.custody.models import ShelfKind

CODE_HELP = "用扫码枪扫描盒脊上的条码或二维码，或手工输入盒标签（如 BOX-00000012）、案卷档号。"


class RoomForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=None, empty_label=None)
    name = forms.CharField(label="库房名称", max_length=60)
    location = forms.CharField(label="位置", max_length=200, required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ShelfForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ShelfKind.choices)
    code = forms.CharField(label="编号", max_length=20, help_text="例如 A、B1（不含“-”）")
    levels = forms.IntegerField(label="层数", min_value=1, max_value=30, initial=5)
    columns = forms.IntegerField(label="每层格数", min_value=1, max_value=30, initial=4)


def _positions(room) -> list[tuple[int, str]]:
    from fupin.custody.models import Position

    found = Position.objects.filter(shelf__room=room).select_related("shelf")
    return [(p.pk, f"{p.code}（{p}）") for p in found]


class ScanForm(forms.Form):
    """A position and a scanned code: the scanner types the label and presses Enter."""

    position = forms.TypedChoiceField(label="位置", coerce=int)
    code = forms.CharField(
        label="盒标签或案卷档号",
        max_length=120,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def __init__(self, *args, room, shelf=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = _positions(room)
        if shelf is not None:
            prefix = f"{shelf.code}-"
            choices = [c for c in choices if c[1].startswith(prefix)]
        self.fields["position"].choices = choices


class PlaceForm(ScanForm):
    reason = forms.CharField(label="原因", max_length=200, initial="新盒上架")


class MoveForm(forms.Form):
    """Move one box or volume to a position of any room the clerk looks after."""

    position = forms.TypedChoiceField(label="放到", coerce=int)
    reason = forms.CharField(label="原因", max_length=200)

    def __init__(self, *args, rooms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [
            (str(room), [(pk, label) for pk, label in _positions(room)]) for room in rooms
        ]


class ReadingForm(forms.Form):
    temperature = forms.DecimalField(label="温度（℃）", max_digits=4, decimal_places=1)
    humidity = forms.DecimalField(label="相对湿度（%）", max_digits=4, decimal_places=1)
    failed_checks = forms.MultipleChoiceField(
        label="八防检查不合格项（全部合格则不勾选）",
        choices=GUARDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="说明", max_length=300, required=False)


class CheckPlanForm(forms.Form):
    shelf = forms.ModelChoiceField(
        label="盘点范围", queryset=None, required=False, empty_label="整个库房"
    )
    planned_on = forms.DateField(
        label="盘点日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, room, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shelf"].queryset = room.shelves.all()


class LimitsForm(forms.Form):
    region = forms.ModelChoiceField(label="区划（含下级）", queryset=None, empty_label=None)
    temperature_min = forms.DecimalField(label="最低温度（℃）", max_digits=4, decimal_places=1)
    temperature_max = forms.DecimalField(label="最高温度（℃）", max_digits=4, decimal_places=1)
    humidity_min = forms.DecimalField(label="最低相对湿度（%）", max_digits=4, decimal_places=1)
    humidity_max = forms.DecimalField(label="最高相对湿度（%）", max_digits=4, decimal_places=1)

    def __init__(self, *args, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
