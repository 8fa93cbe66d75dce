"""Scanned pages of record items and the text read from them."""

from django.db import models
from django.db.models import Q


class ScanPage(models.Model):
    """One page of an item's scan, in reading order, with its OCR text ("" until read)."""

    item = models.ForeignKey(
        "records.RecordItem", on_delete=models.PROTECT, related_name="scan_pages"
    )
    number = models.PositiveIntegerField("页号")
    text = models.TextField("识别文本", blank=True)

    class Meta:
        ordering = ["item_id", "number"]
        verbose_name = "扫描页"
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="scan_page_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="scan_page_number_positive"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}页"
