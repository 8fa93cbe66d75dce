"""Every download names its file in one place, so each browser keeps the Chinese name."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download(
    body: bytes, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    """A response carrying `filename` per RFC 6266/5987 (`filename*=utf-8''…` when not ASCII).

    A bare `filename="…"` with Chinese in it is mangled or dropped by browsers, which then save
    the file under the last part of the URL (`cover.pdf`)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
