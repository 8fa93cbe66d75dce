from html import escape
from urllib.parse import quote_plus

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from fupin.search.filters import BY_NAME
from fupin.search.forms import SearchForm
from fupin.search.models import Kind
from fupin.search.selectors import FacetValue, Hit, Result, require_search, search


def _asked(params: QueryDict) -> dict[str, str]:
    """The query's parameters (but the page) each encoded once as `key=value`, in order: a
    page's twenty-odd links each change one of them (urlencode of them all, every link, took
    0.3 ms a page)."""
    return {k: _pair(k, v) for k, v in params.items() if v and k != "page"}


def _pair(key: str, value: str) -> str:
    return f"{quote_plus(key)}={quote_plus(value)}"  # as urlencode writes each pair


def _link(asked: dict[str, str], **changes: str) -> str:
    query = asked | {k: _pair(k, v) for k, v in changes.items() if v}
    return "?" + "&".join(query.values())


def _facet_list(params: QueryDict, asked: dict[str, str], result: Result) -> SafeString:
    """The facets as HTML, written in Python as the hits are: through the template language
    the six facets' twenty-odd links took about 0.3 ms a page."""
    return mark_safe(
        "".join(
            f"<h3>{escape(BY_NAME[name].label)}</h3><ul>"
            + "".join(_facet_html(params, asked, name, v) for v in values)
            + "</ul>"
            for name, values in result.facets.items()
            if values
        )
    )


def _facet_html(params: QueryDict, asked: dict[str, str], name: str, value: FacetValue) -> str:
    active = ' class="active"' if params.get(name) == value.value else ""
    return (
        f'<li><a href="{escape(_link(asked, **{name: value.value}))}"{active}>'
        f'{conditional_escape(value.label)}</a> <span class="muted">{value.count}</span></li>'
    )


def _hit_list(hits: list[Hit]) -> SafeString:
    """The results as HTML, written in Python: through the template language a page of 20
    results took 0.7 ms, as long as the rest of the page's template."""
    return mark_safe("".join(_hit_html(hit) for hit in hits))


def _hit_html(hit: Hit) -> str:
    secrecy = f'<span class="badge bad">{escape(hit.secrecy)}</span>' if hit.secrecy else ""
    if not hit.exact:
        secrecy += '<span class="badge" title="与检索词相差一个字">部分符合</span>'
    where = " · ".join(
        escape(p) for p in (hit.code, f"{hit.year} 年" if hit.year else "", hit.place) if p
    )
    snippets = "".join(
        f'<div class="snippet"><span class="muted">{escape(label)}：</span>'
        f"{conditional_escape(text)}</div>"
        for label, text in hit.snippets
    )
    return (
        f'<li class="hit">\n<a href="{escape(hit.url)}">{conditional_escape(hit.title)}</a> '
        f'<span class="badge">{Kind(hit.kind).label}</span>{secrecy}'
        f'<div class="muted">{where}</div>'
        f"{snippets}</li>"
    )


@login_required
@require_safe
def results(request: HttpRequest) -> HttpResponse:
    require_search(request.user)
    form = SearchForm(request.GET)
    form.offer_choices(request.user)
    context: dict = {"form": form, "search_text": request.GET.get("q", "")}
    if form.is_valid():
        data = form.cleaned_data
        result = search(
            request.user, data["q"], form.filters(), data["sort"] or "relevance", data["page"] or 1
        )
        context["result"] = result
        context["hits"] = _hit_list(result.hits)
        asked = _asked(request.GET)
        context["facets"] = _facet_list(request.GET, asked, result)
        context["previous"] = result.page > 1 and _link(asked, page=str(result.page - 1))
        context["next"] = result.page < result.pages and _link(asked, page=str(result.page + 1))
    return render(request, "search/results.html", context)
