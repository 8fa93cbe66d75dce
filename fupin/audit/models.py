from django.db import models


class AuditEvent(models.Model):
    """One link of the hash chain. Rows are only ever inserted (DB triggers refuse the rest)."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=128, blank=True)
    # Region code of the object, so the auditor's view can be narrowed by prefix.
    region_code = models.CharField(max_length=12, blank=True, db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    # HMAC-SHA256 of the row and prev_hash under the key `key_id` (fupin/audit/keys.py).
    # Rows written before keyed MACs were introduced have no key id and a plain SHA-256 here;
    # the first keyed row's MAC covers their last hash, so they cannot be re-chained either.
    hash = models.CharField(max_length=64)
    # NULL (not "") for the old rows: a nullable column is added in place on SQLite, without
    # copying the append-only table.
    key_id = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计事件"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """Singleton holding the chain's tip: appends lock it, and it betrays a deleted last row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")
        ]

    def __str__(self) -> str:
        return f"链尾 #{self.seq}"
