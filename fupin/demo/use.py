"""A pending request to consult another village's file and an overdue loan, for the use pages."""

import datetime
from typing import Any

from django.utils import timezone

from fupin.accounts.models import User
from fupin.records.models import RecordItem
from fupin.regions.models import Unit
from fupin.use.models import Loan, UseRequest
from fupin.use.services import loan_create, use_request_create


def load_demo_use(actor: Any, committee: Unit, office: Unit, requester: User) -> None:
    if UseRequest.objects.exists() or Loan.objects.exists():
        return
    archived = RecordItem.objects.filter(reference_code__isnull=False).order_by("pk")
    wanted = archived.filter(unit=committee).first()
    lent = archived.filter(unit=office).first()
    if wanted is None or lent is None:
        return
    use_request_create(
        actor=requester,
        codes=[wanted.reference_code or ""],
        purpose="核对两村联合申报的产业扶贫项目材料",
        days=7,
    )
    today = timezone.localdate()
    loan_create(
        actor=actor,
        unit_id=office.pk,
        borrower_name="李明",
        borrower_unit="郧西县审计局",
        codes=[lent.reference_code or ""],
        purpose="财政专项扶贫资金审计",
        lent_on=today - datetime.timedelta(days=20),
        due_on=today - datetime.timedelta(days=5),
    )
