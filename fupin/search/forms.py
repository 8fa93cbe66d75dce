import copy
import hashlib
from html import escape
from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from fupin.accounts.scoped_cache import scoped_cached
from fupin.search.filters import ANY, FILTERS, Filters
from fupin.search.selectors import SORTS


def _attributes(attrs: dict[str, Any]) -> str:
    """HTML attributes as Django's widget templates write them: True alone, False left out."""
    return "".join(
        f" {key}" if value is True else f' {key}="{escape(str(value))}"'
        for key, value in attrs.items()
        if value is not False and value is not None
    )


class QuickSelect(forms.Select):
    """A select box of flat choices, written out in Python. Django renders a template for the
    box and builds a dict (and a template render) per option: the results page's 13 filter
    widgets cost it about 1.2 ms that way, a tenth of the engine's own query."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        return _select(self, name, _option_tags(self.choices, set(self.format_value(value))), attrs)


class OfferedSelect(forms.Select):
    """A picker whose options were written out beforehand, with the asked one selected: the
    written options are cached with the options themselves (`SearchForm.offer_choices`), so a
    request neither normalises nor writes out several hundred options again."""

    def __init__(self, option_tags: str) -> None:
        super().__init__()
        self.option_tags = option_tags

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        return _select(self, name, self.option_tags, attrs)


def _option_tags(choices: Any, chosen: set[str]) -> str:
    # html.escape is what Django's escape calls, without its lazy-string wrapper per call.
    return "".join(
        f'<option value="{escape(str(option))}"'
        f"{' selected' if str(option) in chosen else ''}>{escape(str(label))}</option>"
        for option, label in choices
    )


def _select(widget: forms.Select, name: str, options: str, attrs: dict | None) -> SafeString:
    attrs_html = _attributes(widget.build_attrs(widget.attrs, attrs))
    return mark_safe(f'<select name="{escape(name)}"{attrs_html}>{options}</select>')


class _QuickInput(forms.widgets.Input):
    """An input written out in Python, as Django's template would write it."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        value = self.format_value(value)
        shown = {"value": value} if value is not None else {}
        written = _attributes(self.build_attrs(self.attrs, {**shown, **(attrs or {})}))
        return mark_safe(f'<input type="{self.input_type}" name="{escape(name)}"{written}>')


class QuickText(_QuickInput, forms.TextInput):
    pass


class QuickNumber(_QuickInput, forms.NumberInput):
    pass


class QuickHidden(_QuickInput, forms.HiddenInput):
    pass


def _choice(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=QuickSelect)


class _Query(forms.Form):
    q = forms.CharField(label="检索词", max_length=200, required=False, widget=QuickText)
    sort = _choice("排序", [(k, v[0]) for k, v in SORTS.items()])
    page = forms.IntegerField(min_value=1, required=False, widget=QuickHidden)
    field_order = ["q", *(f.name for f in FILTERS), "sort", "page"]


class SearchForm(_Query):
    """The query and its filters (`filters.FILTERS`), shared by the page, the API's query
    parameters and the command line."""

    # The filters' fields, made once as class fields are (the form copies them per request).
    locals().update({f.name: f.form_field() for f in FILTERS})

    def offer_choices(self, actor: Any) -> None:
        """Pickers for the page instead of number boxes: the regions, units and schedule rows
        the actor can pick from. The fields still take any value (the API and links pass
        codes and ids; the access layer decides what is found); the one asked for is always
        among the options, so the form shows it back."""
        asked = {f.name: str(self.data.get(f.name) or "") for f in FILTERS}
        pickers = [(f.name, f.picker_label, f.picker) for f in FILTERS if f.picker is not None]
        # Regions, units and schedule rows change only with an audited write: the options are
        # read once per person, scope, data version and asked values (a third of the page's
        # time when read every time), not on every search; and written out once too, the asked
        # one selected: the value a bound field shows is the one asked, `self.data`'s.
        asking = hashlib.blake2b(repr(sorted(asked.items())).encode(), digest_size=8).hexdigest()

        def offer() -> dict[str, str]:
            written = {}
            for name, _, picker in pickers:
                options = list(picker(actor, asked))
                if asked[name] and asked[name] not in {value for value, _ in options}:
                    options.append((asked[name], asked[name]))
                written[name] = _option_tags([*ANY, *options], {asked[name]})
            return written

        offered = scoped_cached(actor, f"search-pickers:{asking}", offer)
        for name, label, _ in pickers:
            self.fields[name].label = label
            self.fields[name].widget = OfferedSelect(offered[name])

    def filters(self) -> Filters:
        return Filters.from_form(self.cleaned_data)

    def boxes(self) -> SafeString:
        """The visible fields, each labelled, as the page shows them: written in Python, as the
        template language took 0.7 ms a page for the loop over the form's fourteen fields."""
        return mark_safe(
            "".join(
                f'<div class="field"><label for="{conditional_escape(field.id_for_label)}">'
                f"{conditional_escape(field.label)}</label>{field}</div>"
                for field in self
                if not field.is_hidden
            )
        )


class _CopiedFields(dict):
    """The form's fields, which every form copies for itself (Django deep-copies them, 0.26 ms
    a request for the choices and widgets of fourteen fields): copied one level down instead.
    A form sets a field's own attributes (`offer_choices`: the label, a new widget) and never
    changes the widgets, choices or validators it shares with the others."""

    def __deepcopy__(self, memo: dict) -> dict:
        return {name: copy.copy(field) for name, field in self.items()}


SearchForm.base_fields = _CopiedFields(SearchForm.base_fields)
