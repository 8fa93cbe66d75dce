from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import create_model

from fupin.search.filters import FILTERS
from fupin.search.forms import SearchForm
from fupin.search.selectors import PER_PAGE, Result, search, suggest

router = Router(tags=["检索"])


# The query parameters: the query, every filter of `filters.FILTERS` (numbers as numbers, the
# rest as the page's option values), sort and paging.
SearchIn = create_model(
    "SearchIn",
    __base__=Schema,
    q=(str, ""),
    **{f.name: ((int | None, None) if f.shape == "number" else (str, "")) for f in FILTERS},
    sort=(str, "relevance"),
    page=(int, 1),
    per_page=(int, PER_PAGE),
)  # type: ignore[call-overload]


class SnippetOut(Schema):
    label: str
    html: str


class HitOut(Schema):
    kind: str
    id: int
    title: str
    title_html: str
    code: str
    year: int | None
    place: str
    url: str
    secrecy: str
    # False: the document holds the query but one character (for example misread by OCR).
    exact: bool
    snippets: list[SnippetOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    q: str
    count: int
    # False when there are more matches than counted (see COUNT_CAP): facets are then empty
    # and the items are sorted among the newest COUNT_CAP matches only.
    count_exact: bool
    page: int
    pages: int
    backlog: int
    # Said (in Chinese) whenever the index lags behind the records: a search never finds
    # nothing in silence because of it.
    notice: str
    # True when the query is long enough to also find documents holding all of it but one
    # character; `exact` of the counted hold all of it and are ranked first.
    relaxed: bool
    exact: int
    items: list[HitOut]
    facets: dict[str, list[FacetValueOut]]


class SuggestOut(Schema):
    suggestions: list[str]


def result_data(result: Result) -> dict:
    """The one JSON form of a result, for the API and `fupin search --json`."""
    return {
        "q": result.text,
        "count": result.count,
        "count_exact": result.count_exact,
        "page": result.page,
        "pages": result.pages,
        "backlog": result.backlog,
        "notice": result.notice,
        "relaxed": result.relaxed,
        "exact": result.exact,
        "items": [
            {
                "kind": h.kind,
                "id": h.id,
                "title": h.plain_title,
                "title_html": str(h.title),
                "code": h.code,
                "year": h.year,
                "place": h.place,
                "url": h.url,
                "secrecy": h.secrecy,
                "exact": h.exact,
                "snippets": [{"label": label, "html": str(text)} for label, text in h.snippets],
            }
            for h in result.hits
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
    }


def run_search(actor, params: dict, per_page: int = PER_PAGE) -> Result:
    """Validate the parameters exactly as the page does, then search."""
    form = SearchForm({k: v for k, v in params.items() if v not in (None, "")})
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label or name}：{'；'.join(errs)}"
                for name, errs in form.errors.items()
            ]
        )
    data = form.cleaned_data
    return search(
        actor, data["q"], form.filters(), data["sort"] or "relevance", data["page"] or 1, per_page
    )


@router.get("/", response=SearchOut, url_name="search", summary="全文检索")
def search_api(request: HttpRequest, params: Query[SearchIn]) -> dict:
    return result_data(run_search(request.user, params.dict(), params.per_page))


@router.get("/suggest", response=SuggestOut, url_name="search_suggest", summary="检索词提示")
def suggest_api(request: HttpRequest, q: str = "") -> dict:
    return {"suggestions": suggest(request.user, q[:200])}
