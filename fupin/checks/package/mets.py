"""The package's METS 1.12.1 document: a descriptive section (Dublin Core) per record, an
administrative section per file holding its PREMIS 3 object (both digests, format, size) and
its events (capture, the fixity check made while packing), one per record with its locking
and transfer events; the file section; and the logical structure (volumes, household files,
items, files). Everything is written as it goes (see xmlout and MetsWriter)."""

import io
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

from fupin.checks.package.xmlout import XmlOut
from fupin.objects.formats import LABELS
from fupin.printing.pdf import CREATOR

METS_NS = "http://www.loc.gov/METS/"
PREMIS_NS = "http://www.loc.gov/premis/v3"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DC_NS = "http://purl.org/dc/elements/1.1/"
SCHEMA_LOCATION = (
    f"{METS_NS} http://www.loc.gov/standards/mets/version1121/mets.xsd "
    f"{PREMIS_NS} http://www.loc.gov/standards/premis/v3/premis.xsd"
)
# How the algorithms are named in METS CHECKSUMTYPE and in PREMIS.
PREMIS_ALGORITHM = {"SHA-256": "SHA-256", "SM3": "SM3"}


@dataclass
class Event:
    kind: str  # PREMIS event type: capture, fixity check, accession…
    at: datetime
    detail: str
    outcome: str = "success"


@dataclass
class PackedFile:
    """One original file as it lies in the package."""

    id: str  # F1, F2 …
    path: str  # data/records/…/001-x.pdf
    filename: str
    size: int
    format: str
    mime: str
    digests: dict[str, str]
    events: list[Event] = field(default_factory=list)


@dataclass
class PackedRecord:
    id: str  # R<pk>
    label: str  # 档号
    title: str
    creator: str
    date: str
    kind: str  # 门类 label
    metadata_path: str
    metadata_id: str  # M<pk>
    files: list[PackedFile]
    events: list[Event]


@dataclass
class PackedGroup:
    """A volume or a household file: a division of the structure holding records."""

    kind: str  # volume / household
    label: str
    metadata_path: str
    metadata_id: str
    record_ids: list[str]


def _ts(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _indented(body: str) -> dict[int, str]:
    """A fragment written as XmlOut writes it, for each depth it may stand at: one format string
    per file or event instead of some forty writer calls (the METS of ten thousand files holds
    about a million elements)."""
    lines = body.strip("\n").split("\n")
    return {depth: "".join(f"{'  ' * depth}{line}\n" for line in lines) for depth in range(12)}


_OBJECT_HEAD = _indented(
    """
<premis:object xsi:type="premis:file" version="3.0">
  <premis:objectIdentifier>
    <premis:objectIdentifierType>local</premis:objectIdentifierType>
    <premis:objectIdentifierValue>{path}</premis:objectIdentifierValue>
  </premis:objectIdentifier>
  <premis:objectCharacteristics>
    <premis:compositionLevel>0</premis:compositionLevel>
"""
)
_FIXITY = _indented(
    """
    <premis:fixity>
      <premis:messageDigestAlgorithm>{algorithm}</premis:messageDigestAlgorithm>
      <premis:messageDigest>{value}</premis:messageDigest>
    </premis:fixity>
"""
)
_OBJECT_TAIL = _indented(
    """
    <premis:size>{size}</premis:size>
    <premis:format>
      <premis:formatDesignation>
        <premis:formatName>{format}</premis:formatName>
      </premis:formatDesignation>
    </premis:format>
  </premis:objectCharacteristics>
  <premis:originalName>{filename}</premis:originalName>
</premis:object>
"""
)
_EVENT = _indented(
    """
<premis:event version="3.0">
  <premis:eventIdentifier>
    <premis:eventIdentifierType>local</premis:eventIdentifierType>
    <premis:eventIdentifierValue>{event_id}</premis:eventIdentifierValue>
  </premis:eventIdentifier>
  <premis:eventType>{kind}</premis:eventType>
  <premis:eventDateTime>{at}</premis:eventDateTime>
  <premis:eventDetailInformation>
    <premis:eventDetail>{detail}</premis:eventDetail>
  </premis:eventDetailInformation>
  <premis:eventOutcomeInformation>
    <premis:eventOutcome>{outcome}</premis:eventOutcome>
  </premis:eventOutcomeInformation>
  <premis:linkingObjectIdentifier>
    <premis:linkingObjectIdentifierType>local</premis:linkingObjectIdentifierType>
    <premis:linkingObjectIdentifierValue>{path}</premis:linkingObjectIdentifierValue>
  </premis:linkingObjectIdentifier>
</premis:event>
"""
)


def _premis_object(x: XmlOut, f: PackedFile) -> None:
    # The fixity lines sit two levels below the object (inside objectCharacteristics).
    x.out.write(_OBJECT_HEAD[x.depth].format(path=escape(f.path)))
    for algorithm, value in f.digests.items():
        x.out.write(
            _FIXITY[x.depth].format(
                algorithm=escape(PREMIS_ALGORITHM[algorithm]), value=escape(value)
            )
        )
    x.out.write(
        _OBJECT_TAIL[x.depth].format(
            size=escape(str(f.size)),
            format=escape(str(LABELS.get(f.format, f.format))),
            filename=escape(f.filename),
        )
    )


def _premis_event(x: XmlOut, event: Event, event_id: str, object_path: str) -> None:
    x.out.write(
        _EVENT[x.depth].format(
            event_id=escape(event_id),
            kind=escape(event.kind),
            at=escape(_ts(event.at)),
            detail=escape(event.detail),
            outcome=escape(event.outcome),
            path=escape(object_path),
        )
    )


def _wrap(x: XmlOut, section: str, section_id: str, mdtype: str) -> None:
    x.open(f"mets:{section}", {"ID": section_id})
    x.open("mets:mdWrap", {"MDTYPE": mdtype})
    x.open("mets:xmlData")


def _unwrap(x: XmlOut, section: str) -> None:
    x.close("mets:xmlData")
    x.close("mets:mdWrap")
    x.close(f"mets:{section}")


def _events(x: XmlOut, owner: str, events: list[Event], object_path: str) -> list[str]:
    ids = []
    for n, event in enumerate(events, start=1):
        event_id = f"{owner}-E{n}"
        _wrap(x, "digiprovMD", event_id, "PREMIS:EVENT")
        _premis_event(x, event, event_id, object_path)
        _unwrap(x, "digiprovMD")
        ids.append(event_id)
    return ids


class MetsWriter:
    """The METS written as the records come, a batch of them at a time: each section goes to a
    part file of its own beside the document (the sections follow one another, the records
    run through each), and `finish` joins them in order. Nothing of a record is kept once it
    is written but, for a record inside a volume or household file, its structure entry (the
    groups are written whole at the end)."""

    # Part file name → the depth its elements stand at.
    PARTS = {"dmd": 1, "amd": 1, "original": 3, "metadata": 3, "items": 3}

    def __init__(self, path: Path, grouped: set[str]) -> None:
        self.path = path
        self.grouped = grouped
        self.held: dict[str, str] = {}
        self._files = {name: self._part(name).open("w", encoding="utf-8") for name in self.PARTS}
        self._out = {name: XmlOut(self._files[name], depth) for name, depth in self.PARTS.items()}

    def _part(self, name: str) -> Path:
        return self.path.with_name(f".{self.path.name}.{name}")

    def add(self, record: PackedRecord) -> None:
        x = self._out["dmd"]
        _wrap(x, "dmdSec", f"dmd-{record.id}", "DC")
        for tag, value in (
            ("identifier", record.label),
            ("title", record.title),
            ("creator", record.creator),
            ("date", record.date),
            ("type", record.kind),
        ):
            x.leaf(f"dc:{tag}", value)
        _unwrap(x, "dmdSec")
        x = self._out["amd"]
        x.open("mets:amdSec", {"ID": f"amd-{record.id}"})
        _events(x, record.id, record.events, record.metadata_path)
        x.close("mets:amdSec")
        for f in record.files:
            x.open("mets:amdSec", {"ID": f"amd-{f.id}"})
            _wrap(x, "techMD", f"tech-{f.id}", "PREMIS:OBJECT")
            _premis_object(x, f)
            _unwrap(x, "techMD")
            _events(x, f.id, f.events, f.path)
            x.close("mets:amdSec")
        x = self._out["original"]
        for f in record.files:
            x.open(
                "mets:file",
                {
                    "ID": f.id,
                    "MIMETYPE": f.mime,
                    "SIZE": f.size,
                    "CHECKSUM": f.digests["SHA-256"],
                    "CHECKSUMTYPE": "SHA-256",
                    "ADMID": f"amd-{f.id}",
                },
            )
            x.leaf(
                "mets:FLocat",
                None,
                {"LOCTYPE": "OTHER", "OTHERLOCTYPE": "SYSTEM", "xlink:href": f.path},
            )
            x.close("mets:file")
        self._metadata_file(record.metadata_id, record.metadata_path)
        if record.id in self.grouped:
            held = io.StringIO()
            _record_div(XmlOut(held, 4), record)
            self.held[record.id] = held.getvalue()
        else:
            _record_div(self._out["items"], record)

    def _metadata_file(self, entry_id: str, path: str) -> None:
        x = self._out["metadata"]
        x.open("mets:file", {"ID": entry_id, "MIMETYPE": "application/json"})
        x.leaf(
            "mets:FLocat", None, {"LOCTYPE": "OTHER", "OTHERLOCTYPE": "SYSTEM", "xlink:href": path}
        )
        x.close("mets:file")

    def finish(
        self,
        *,
        objid: str,
        label: str,
        sender: str,
        created: datetime,
        groups: Sequence[PackedGroup],
    ) -> None:
        for group in groups:
            self._metadata_file(group.metadata_id, group.metadata_path)
        for part in self._files.values():
            part.close()
        with self.path.open("w", encoding="utf-8") as out:
            x = XmlOut(out)
            x.open(
                "mets:mets",
                {
                    "xmlns:mets": METS_NS,
                    "xmlns:premis": PREMIS_NS,
                    "xmlns:xlink": XLINK_NS,
                    "xmlns:xsi": XSI_NS,
                    "xmlns:dc": DC_NS,
                    "xsi:schemaLocation": SCHEMA_LOCATION,
                    "OBJID": objid,
                    "LABEL": label,
                    "TYPE": "精准扶贫档案移交数据包",
                },
            )
            x.open("mets:metsHdr", {"CREATEDATE": _ts(created), "RECORDSTATUS": "移交"})
            x.open("mets:agent", {"ROLE": "CREATOR", "TYPE": "ORGANIZATION"})
            x.leaf("mets:name", sender)
            x.close("mets:agent")
            x.open("mets:agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
            x.leaf("mets:name", CREATOR)
            x.close("mets:agent")
            x.close("mets:metsHdr")
            self._append(out, "dmd")
            self._append(out, "amd")
            x.open("mets:fileSec")
            x.open("mets:fileGrp", {"USE": "original"})
            self._append(out, "original")
            x.close("mets:fileGrp")
            x.open("mets:fileGrp", {"USE": "metadata"})
            self._append(out, "metadata")
            x.close("mets:fileGrp")
            x.close("mets:fileSec")
            x.open("mets:structMap", {"TYPE": "logical", "LABEL": "档案实体结构"})
            x.open("mets:div", {"TYPE": "batch", "LABEL": label})
            for group in groups:
                x.open("mets:div", {"TYPE": group.kind, "LABEL": group.label})
                x.leaf("mets:fptr", None, {"FILEID": group.metadata_id})
                for record_id in group.record_ids:
                    out.write(self.held[record_id])
                x.close("mets:div")
            self._append(out, "items")
            x.close("mets:div")
            x.close("mets:structMap")
            x.close("mets:mets")

    def _append(self, out: TextIO, name: str) -> None:
        part = self._part(name)
        with part.open(encoding="utf-8") as source:
            shutil.copyfileobj(source, out, 1024 * 1024)
        part.unlink()

    def discard(self) -> None:
        for name, part in self._files.items():
            part.close()
            self._part(name).unlink(missing_ok=True)


def _record_div(x: XmlOut, record: PackedRecord) -> None:
    x.open(
        "mets:div",
        {
            "TYPE": "item",
            "LABEL": record.title,
            "ORDERLABEL": record.label,
            "DMDID": f"dmd-{record.id}",
            "ADMID": f"amd-{record.id}",
        },
    )
    x.leaf("mets:fptr", None, {"FILEID": record.metadata_id})
    for f in record.files:
        x.leaf("mets:fptr", None, {"FILEID": f.id})
    x.close("mets:div")
