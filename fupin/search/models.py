"""The search index: one document per record item or household, and the queue of changes.

The token text is indexed by SQLite FTS5 (a virtual table over `tokens` and `tags`, kept in
step by triggers) or by a PostgreSQL tsvector column with a GIN index; both are created by
this app's migrations. The
columns beside it are what the filters, facets and the access layer need without a join.
"""

from django.db import models


class Kind(models.TextChoices):
    ITEM = "item", "文件"
    HOUSEHOLD = "household", "贫困户"


class SearchDoc(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # Where the record belongs, for the access layer: the unit's region or the village.
    region_code = models.CharField(max_length=12)
    # No index on the unit, and the kind second in the unique index: SQLite's planner would
    # otherwise walk every document of a kind or unit instead of the engine's few matches.
    unit = models.ForeignKey(
        "regions.Unit",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    level = models.CharField(max_length=10, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    category = models.CharField(max_length=2, blank=True)
    schedule_row_id = models.BigIntegerField(null=True)
    retention = models.CharField(max_length=3, blank=True)
    secrecy = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=10, blank=True)
    has_scan = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    title = models.CharField(max_length=500)
    code = models.CharField(max_length=120, blank=True)
    # The title as queries are normalised, for ranking: titles holding the query come first.
    title_key = models.CharField(max_length=500, blank=True)
    tokens = models.TextField()
    # Reserved tokens for the columns above (region prefixes, unit, kind, secrecy, filters),
    # a separate full-text column on SQLite so the engine itself applies scope and filters;
    # typed queries only ever reach `tokens`.
    tags = models.TextField(blank=True)

    class Meta:
        db_table = "search_doc"
        constraints = [
            models.UniqueConstraint(fields=["object_id", "kind"], name="search_doc_once"),
        ]
        indexes = [models.Index(fields=["region_code"], name="search_doc_region")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchPending(models.Model):
    """A record whose document must be rebuilt, written by database triggers on the source
    tables in the same transaction as the change, so the index is never silently stale."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()

    class Meta:
        db_table = "search_pending"

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
