"""Records → the printing package's plain inputs. Reads only; callers pass in-scope objects."""

from fupin import printing
from fupin.records.codes import box_label
from fupin.records.models import Box, ClassCode, RecordItem, Volume
from fupin.regions.models import Unit
from fupin.schedule import retention as retention_rule


def stamp(item: RecordItem) -> printing.StampFields:
    return printing.StampFields(
        fonds_code=item.unit.fonds_code,
        year=item.year,
        item_number=item.item_number or 0,
        department_or_subject=item.class_code.name,
        retention_label=retention_rule.label(item.retention),
        pages=item.pages,
    )


def catalogue(unit: Unit, year: int, retention: str, klass: ClassCode, items) -> tuple:
    cover = printing.CatalogueCover(
        fonds_code=unit.fonds_code,
        fonds_name=unit.fonds_name,
        year=year,
        retention_label=retention_rule.label(retention),
        department_or_subject=klass.name,
    )
    entries = [
        printing.CatalogueEntry(
            seq=n,
            reference_code=i.reference_code or "",
            document_number=i.doc_number,
            responsible=i.responsible,
            title=i.title,
            date=i.date.strftime("%Y%m%d"),
            secrecy=i.get_secrecy_display() if i.secrecy else "",
            pages=i.pages,
            notes=i.notes,
            title_made_by_archivist=i.title_by_archivist,
        )
        for n, i in enumerate(items, start=1)
    ]
    return cover, entries


def spine(box: Box) -> printing.BoxSpine:
    numbers = sorted(n for n in box.items.values_list("item_number", flat=True) if n)
    return printing.BoxSpine(
        fonds_code=box.unit.fonds_code,
        year=box.year,
        retention_label=retention_rule.label(box.retention),
        first_item=numbers[0] if numbers else 0,
        last_item=numbers[-1] if numbers else 0,
        box_number=box.box_number,
        department=box.class_code.name,
        label=box_label(box.pk),
    )


def note(box: Box) -> printing.BoxNote:
    return printing.BoxNote(
        description=box.description,
        arranger=box.arranger,
        arranged_on=box.arranged_on,
        checker=box.checker,
        checked_on=box.checked_on,
    )


def volume_list(volume: Volume) -> tuple[str, list[printing.VolumeEntry]]:
    entries = [
        printing.VolumeEntry(
            seq=e.seq,
            document_number=e.item.doc_number,
            responsible=e.item.responsible,
            title=e.item.display_title,
            date=e.item.date.strftime("%Y%m%d"),
            page_label=str(e.first_page)
            if e.first_page == e.last_page
            else f"{e.first_page}-{e.last_page}",
            notes=e.item.notes,
        )
        for e in volume.entries.select_related("item")
    ]
    return f"{volume.reference_code} {volume.title}", entries


def volume_note(volume: Volume) -> printing.VolumeNote:
    return printing.VolumeNote(
        description=volume.description,
        arranger=volume.arranger,
        arranged_on=volume.arranged_on,
        checker=volume.checker,
        checked_on=volume.checked_on,
    )


def volume_cover(volume: Volume) -> printing.VolumeCover:
    entries = list(volume.entries.select_related("item").order_by("seq"))
    dates = sorted(e.item.date for e in entries)
    secrecy = sorted({e.item.get_secrecy_display() for e in entries if e.item.secrecy})
    return printing.VolumeCover(
        heading="精准扶贫档案" if volume.category == "ZY" else "科技档案",
        fonds_name=volume.unit.name,
        reference_code=volume.reference_code,
        title=volume.title,
        arranging_unit=volume.unit.name,
        date_range=f"{dates[0]:%Y.%m.%d}—{dates[-1]:%Y.%m.%d}" if dates else "",
        retention_label=volume.get_retention_display(),
        secrecy_label="、".join(secrecy) or "公开",
        items=len(entries),
        pages=entries[-1].last_page if entries else 0,
    )
