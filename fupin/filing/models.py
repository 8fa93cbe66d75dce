"""The filing workflow's states, offices and moves, and the two abstract tables every filed kind
builds on: what is filed (`Filed`) and each office's answer to one round of it (`Decision`).

A plain package, not an app: the concrete tables stay with their apps (schedule, supervision).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import QuerySet


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报备案"
    ACCEPTED = "accepted", "已备案"
    RETURNED = "returned", "已退回"


class Office(models.TextChoices):
    """The two offices one level up that both accept a filing."""

    POVERTY = "poverty", "扶贫办"
    ARCHIVE = "archive", "档案局"


# Where each state may go. (A first office's answer is no move: it stays submitted until the
# second answers.) Accepted is final: a change is a new refinement or new rules.
TRANSITIONS: dict[str, frozenset[str]] = {
    FilingStatus.DRAFT: frozenset({FilingStatus.SUBMITTED}),
    FilingStatus.RETURNED: frozenset({FilingStatus.SUBMITTED}),
    FilingStatus.SUBMITTED: frozenset({FilingStatus.ACCEPTED, FilingStatus.RETURNED}),
    FilingStatus.ACCEPTED: frozenset(),
}
# The owner may still change what it files.
EDITABLE: tuple[str, ...] = (FilingStatus.DRAFT, FilingStatus.RETURNED)


def status_after(answers: dict[str, bool]) -> FilingStatus:
    """A filing's state from this round's answers: returned by either office, accepted when
    both the poverty office and the archive bureau have accepted, else still submitted."""
    if False in answers.values():
        return FilingStatus.RETURNED
    if answers.get(Office.POVERTY) and answers.get(Office.ARCHIVE):
        return FilingStatus.ACCEPTED
    return FilingStatus.SUBMITTED


class Decision(models.Model):
    """One office's answer to one round of a filing (the link to the filing is the concrete
    table's own)."""

    round = models.PositiveIntegerField()
    office = models.CharField(max_length=10, choices=Office.choices)
    accept = models.BooleanField()
    reason = models.CharField("理由", max_length=500, blank=True)
    # Null only for answers recorded before the link was kept.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Filed(models.Model):
    """What is filed: its state and how many times it has been submitted. Each concrete kind
    says where it is filed and where its answers are kept."""

    status = models.CharField(max_length=10, choices=FilingStatus.choices)
    # Each submission is a new round of answers; earlier rounds stay as history.
    round = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def filing_region(self) -> str:
        """The region whose offices decide: one level above the owner."""
        raise NotImplementedError

    def filing_decisions(self) -> "QuerySet[Decision]":
        """Every answer to this filing, all rounds."""
        raise NotImplementedError

    def filing_decision_add(self, *, office: str, accept: bool, reason: str, actor: Any) -> None:
        """Keep one office's answer to the current round (with what else the kind keeps)."""
        raise NotImplementedError
