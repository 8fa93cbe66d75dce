"""The public check of a certificate's verification code (扫码核验), and the limit on how
often one address may ask. What it answers is deliberately little: genuine or revoked, the
number, the issuer and the date — never whom or what the certificate is about."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fupin.disposal.models import Certificate, VerifyWindow

# Per client address: this many checks in a ten-minute window, then 429 until the next one.
VERIFY_LIMIT = 30
WINDOW = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    revoked: bool
    number: str
    issuer: str
    issued_on: datetime.date
    revoked_on: datetime.date | None

    @property
    def label(self) -> str:
        return "已撤销，不再有效" if self.revoked else "真实有效"

    def as_dict(self) -> dict[str, object]:
        return {
            "genuine": self.genuine,
            "revoked": self.revoked,
            "status": self.label,
            "number": self.number,
            "issuer": self.issuer,
            "issued_on": self.issued_on,
            "revoked_on": self.revoked_on,
        }


def certificate_verdict(code: str) -> Verdict | None:
    """None when no certificate carries this code."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    found = Certificate.objects.filter(code=code).select_related("unit").first()
    if found is None:
        return None
    revoked_on = timezone.localdate(found.revoked_at) if found.revoked_at else None
    return Verdict(
        genuine=True,
        revoked=found.revoked_at is not None,
        number=found.number,
        issuer=found.issuer,
        issued_on=found.issued_on,
        revoked_on=revoked_on,
    )


def verify_allowed(address: str) -> bool:
    """Count this request against the address's window; False once it is over the limit."""
    now = timezone.now()
    start = now - datetime.timedelta(
        minutes=now.minute % 10, seconds=now.second, microseconds=now.microsecond
    )
    key = (address or "unknown")[:64]
    with transaction.atomic():
        updated = VerifyWindow.objects.filter(address=key, window=start).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    VerifyWindow.objects.create(address=key, window=start, hits=1)
            except IntegrityError:
                VerifyWindow.objects.filter(address=key, window=start).update(hits=F("hits") + 1)
            # Old windows are of no use: cleared as new ones open.
            VerifyWindow.objects.filter(window__lt=start - WINDOW).delete()
        hits = VerifyWindow.objects.filter(address=key, window=start).values_list("hits", flat=True)
        return (hits.first() or 0) <= VERIFY_LIMIT
