"""Pages anyone may open without signing in: the catalogue of opened records (descriptions
only), a fonds with its EAD3 finding aid, OAI-PMH, and the check of a certificate's code.
Nothing here reads a record, a household or a person: only PublicRecord and a certificate's
number, issuer and date."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fupin.core.downloads import download
from fupin.core.middleware import client_ip
from fupin.disposal.ead import finding_aid
from fupin.disposal.models import PublicRecord
from fupin.disposal.oai import respond
from fupin.disposal.verify import certificate_verdict, verify_allowed


def catalogue(request: HttpRequest) -> HttpResponse:
    rows = PublicRecord.objects.filter(withdrawn=False)
    text = " ".join(request.GET.get("q", "").split())[:100]
    for word in text.split():
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(reference_code__icontains=word)
            | Q(fonds_name__icontains=word)
        )
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    page = Paginator(rows.order_by("fonds_code", "year", "reference_code"), 50).get_page(
        request.GET.get("page")
    )
    fonds = (
        PublicRecord.objects.filter(withdrawn=False)
        .values("fonds_code", "fonds_name")
        .annotate(n=Count("pk"))
        .order_by("fonds_code")
    )
    context = {"page": page, "q": text, "year": year, "fonds": fonds}
    return render(request, "disposal/public_catalogue.html", context)


def fonds(request: HttpRequest, fonds: str) -> HttpResponse:
    rows = PublicRecord.objects.filter(withdrawn=False, fonds_code=fonds).order_by(
        "year", "reference_code"
    )
    first = rows.first()
    if first is None:
        raise Http404("没有该全宗的开放档案。")
    context = {"fonds_code": fonds, "fonds_name": first.fonds_name, "rows": rows[:1000]}
    return render(request, "disposal/public_fonds.html", context)


def ead(request: HttpRequest, fonds: str) -> HttpResponse:
    body = finding_aid(fonds)
    if body is None:
        raise Http404("没有该全宗的开放档案。")
    return download(body, f"全宗指南-EAD-{fonds}.xml", "application/xml; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai(request: HttpRequest) -> HttpResponse:
    # A harvester may POST its arguments form-encoded (OAI-PMH 2.0 §3.1.1.2).
    source = request.POST if request.method == "POST" else request.GET
    params = {key: source.getlist(key) for key in source}
    base = request.build_absolute_uri(request.path)
    return HttpResponse(respond(params, base), content_type="text/xml; charset=utf-8")


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Where a certificate's QR code leads: genuine or revoked, number, issuer, date."""
    if not verify_allowed(client_ip(request)):
        response = render(request, "disposal/public_verify.html", {"limited": True}, status=429)
        response["Retry-After"] = "600"
        return response
    verdict = certificate_verdict(code)
    status = 200 if verdict is not None else 404
    return render(request, "disposal/public_verify.html", {"verdict": verdict}, status=status)
