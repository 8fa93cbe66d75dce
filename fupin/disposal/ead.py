"""An EAD3 finding aid of one fonds: its opened records as items, nothing else."""

from xml.etree import ElementTree as ET

from django.utils import timezone

from fupin.disposal.models import PublicRecord

EAD = "http://ead3.archivists.org/schema/"
ET.register_namespace("", EAD)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{EAD}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def finding_aid(fonds_code: str) -> bytes | None:
    """None when the fonds has no open record."""
    records = list(
        PublicRecord.objects.filter(fonds_code=fonds_code, withdrawn=False).order_by(
            "year", "reference_code"
        )
    )
    if not records:
        return None
    name = records[0].fonds_name
    root = ET.Element(f"{{{EAD}}}ead")
    control = _sub(root, "control")
    _sub(control, "recordid", f"fupin-{fonds_code}")
    titles = _sub(_sub(control, "filedesc"), "titlestmt")
    _sub(titles, "titleproper", f"{name}开放档案目录")
    _sub(control, "maintenancestatus", value="derived")
    _sub(_sub(control, "maintenanceagency"), "agencyname", name)
    event = _sub(_sub(control, "maintenancehistory"), "maintenanceevent")
    _sub(event, "eventtype", value="derived")
    now = timezone.now()
    _sub(event, "eventdatetime", now.strftime("%Y-%m-%d %H:%M"), standarddatetime=now.isoformat())
    _sub(event, "agenttype", value="machine")
    _sub(event, "agent", "精准扶贫档案管理系统")
    archdesc = _sub(root, "archdesc", level="fonds")
    did = _sub(archdesc, "did")
    _sub(did, "unittitle", name)
    _sub(did, "unitid", fonds_code)
    years = sorted({r.year for r in records})
    _sub(did, "unitdate", f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]))
    dsc = _sub(archdesc, "dsc")
    for record in records:
        item = _sub(dsc, "c01", level="item")
        item_did = _sub(item, "did")
        _sub(item_did, "unitid", record.reference_code)
        _sub(item_did, "unittitle", record.title)
        _sub(item_did, "unitdate", record.date.isoformat(), normal=record.date.isoformat())
        _sub(item_did, "origination").append(_name(record.responsible))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _name(text: str) -> ET.Element:
    corp = ET.Element(f"{{{EAD}}}corpname")
    _sub(corp, "part", text)
    return corp
