"""Build search documents from the source records: by id (the queue) or all of them (rebuild)."""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection

from fupin.households.models import Household, Person
from fupin.photos.models import PhotoDetails
from fupin.records.models import ItemFile, ItemStatus, RecordItem
from fupin.scans.models import ScanPage
from fupin.search.backends import document_tags
from fupin.search.filters import source_fields
from fupin.search.models import Kind, SearchDoc
from fupin.search.text import document_tokens, normalise

CHUNK = 2000
FIELDS = [f.name for f in SearchDoc._meta.concrete_fields if f.name not in ("id", "kind")]
UPDATED = [f for f in FIELDS if f != "object_id"]


def _keyed(doc: SearchDoc) -> SearchDoc:
    """Fill in what is derived from the other columns: the ranking title and the tags."""
    doc.title_key = normalise(doc.title)
    doc.tags = document_tags(doc)
    return doc


def _grouped(rows: Iterable[tuple], size: int = 1) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for key, *values in rows:
        found[key].append(values[0] if size == 1 else values)
    return found


def _filtered(kind: str, row: dict) -> dict:
    """The filtered columns of a document, read from its record's row (`source_fields`)."""
    return {column: row[path] for column, path in source_fields(kind).items()}


def item_docs(ids: list[int]) -> list[SearchDoc]:
    shown = ("title", "doc_number", "responsible", "reference_code", "notes", "matter", "status")
    # A destroyed record is found by no one: its entry is for custodians, in the catalogue.
    items = RecordItem.objects.filter(pk__in=ids, destroyed_at__isnull=True).values(
        "id", *shown, *dict.fromkeys(source_fields(Kind.ITEM).values())
    )
    photos = {
        p["item_id"]: p
        for p in PhotoDetails.objects.filter(item_id__in=ids).values(
            "item_id",
            "photographer",
            "place",
            "people",
            "background",
            "caption",
            "group__title",
            "group__description",
        )
    }
    pages = _grouped(
        ScanPage.objects.filter(item_id__in=ids)
        .order_by("item_id", "number")
        .values_list("item_id", "text")
    )
    filed = set(ItemFile.objects.filter(item_id__in=ids).values_list("item_id", flat=True))
    docs = []
    for it in items:
        photo = photos.get(it["id"], {})
        scanned = it["id"] in filed or it["id"] in pages
        fields = [it[k] or "" for k in ("title", "doc_number", "reference_code", "responsible")]
        fields += [it["matter"], it["notes"]]
        fields += [v for k, v in photo.items() if k != "item_id" and v]
        docs.append(
            _keyed(
                SearchDoc(
                    kind=Kind.ITEM,
                    object_id=it["id"],
                    **_filtered(Kind.ITEM, it),
                    status=it["status"],
                    has_scan=scanned,
                    complete=scanned and it["status"] == ItemStatus.LOCKED,
                    title=it["title"],
                    code=it["reference_code"] or "",
                    tokens=document_tokens(*fields, *pages.get(it["id"], [])),
                )
            )
        )
    return docs


def household_docs(ids: list[int]) -> list[SearchDoc]:
    shown = ("household_no", "head_name", "natural_village", "attribute", "main_cause", "status")
    households = Household.objects.filter(pk__in=ids).values(
        "id", *shown, *dict.fromkeys(source_fields(Kind.HOUSEHOLD).values())
    )
    members = _grouped(
        Person.objects.filter(household_id__in=ids)
        .order_by("household_id", "person_no")
        .values_list("household_id", "name")
    )
    return [
        _keyed(
            SearchDoc(
                kind=Kind.HOUSEHOLD,
                object_id=h["id"],
                **_filtered(Kind.HOUSEHOLD, h),
                status=h["status"],
                title=f"{h['head_name']}户",
                code=h["household_no"],
                tokens=document_tokens(
                    h["head_name"],
                    *members.get(h["id"], []),
                    h["household_no"],
                    h["natural_village"],
                    h["attribute"],
                    h["main_cause"],
                ),
            )
        )
        for h in households
    ]


BUILDERS = {Kind.ITEM: item_docs, Kind.HOUSEHOLD: household_docs}
SOURCES = {Kind.ITEM: RecordItem, Kind.HOUSEHOLD: Household}


def reindex(kind: str, ids: Iterable[int]) -> int:
    """Make the documents of these records match their sources (created, changed or gone)."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        docs = BUILDERS[kind](chunk)
        if docs:
            SearchDoc.objects.bulk_create(
                docs, update_conflicts=True, unique_fields=["kind", "object_id"],
                update_fields=UPDATED,
            )  # fmt: skip
        gone = set(chunk) - {d.object_id for d in docs}
        SearchDoc.objects.filter(kind=kind, object_id__in=gone).delete()
    return len(wanted)


def all_ids(kind: str) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            SOURCES[kind]
            .objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def clear_index() -> None:
    """Empty the index whatever state it is in (an FTS5 index is emptied by its own command)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_doc")
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")


def build_all() -> int:
    built = 0
    for kind, builder in BUILDERS.items():
        for ids in all_ids(kind):
            SearchDoc.objects.bulk_create(builder(ids), batch_size=500)
            built += len(ids)
    return built
