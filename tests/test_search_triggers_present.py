"""The search queue's triggers survive every migration: on SQLite a later migration that
rebuilds a source table would silently drop them, and the index would go stale."""

from django.db import connection

SOURCES = {
    "records_recorditem",
    "records_itemfile",
    "scans_scanpage",
    "photos_photodetails",
    "photos_photogroup",
    "regions_unit",
    "households_household",
    "households_person",
}


def test_every_source_table_has_its_queue_trigger(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'search_queue_%%'"
            )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables >= SOURCES, SOURCES - tables


def test_filing_a_document_does_not_queue_a_reindex(world, tmp_path, capsys):
    from fupin.search.models import SearchPending
    from tests.household_file_samples import V_A, attach, household, import_households

    h = import_households(world, tmp_path, capsys, household(V_A, 1))[f"{V_A}00001"]
    before = SearchPending.objects.filter(kind="household", object_id=h.pk).count()
    attach(world.client("village_a"), h, 1)
    after = SearchPending.objects.filter(kind="household", object_id=h.pk).count()
    assert after == before


def test_the_full_text_table_follows_the_documents(db):
    """On SQLite the FTS5 table (text and tags) is kept in step by triggers on `search_doc`,
    which a migration that rebuilds that table drops and must create again."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'search_doc'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
        fts = cursor.fetchone()[0]
    assert {"search_doc_ai", "search_doc_ad", "search_doc_au"} <= names
    assert "tokens, tags" in fts
