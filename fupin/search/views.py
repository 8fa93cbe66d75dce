from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fupin.search.forms import SearchForm
from fupin.search.selectors import FACETS, Result, search


def _link(params: QueryDict, **changes: str) -> str:
    query = {k: v for k, v in params.items() if v and k != "page"}
    query.update({k: v for k, v in changes.items() if v})
    return "?" + urlencode(query)


def _facet_links(params: QueryDict, result: Result) -> list[tuple[str, list]]:
    return [
        (
            FACETS[name][0],
            [
                (v.label, v.count, _link(params, **{name: v.value}), params.get(name) == v.value)
                for v in values
            ],
        )
        for name, values in result.facets.items()
        if values
    ]


@login_required
@require_safe
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict = {"form": form, "search_text": request.GET.get("q", "")}
    if form.is_valid():
        data = form.cleaned_data
        result = search(
            request.user, data["q"], form.filters(), data["sort"] or "relevance", data["page"] or 1
        )
        context["result"] = result
        context["facets"] = _facet_links(request.GET, result)
        context["previous"] = result.page > 1 and _link(request.GET, page=str(result.page - 1))
        context["next"] = result.page < result.pages and _link(
            request.GET, page=str(result.page + 1)
        )
    return render(request, "search/results.html", context)
