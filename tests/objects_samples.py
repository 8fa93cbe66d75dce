"""Small real files of each format, made here, for the electronic-file tests."""

import io
import zipfile

from PIL import Image
from reportlab.pdfgen import canvas


def pdf(pages: int = 1, text: str = "scan") -> bytes:
    out = io.BytesIO()
    doc = canvas.Canvas(out)
    for n in range(pages):
        doc.drawString(72, 720, f"{text} {n + 1}")
        doc.showPage()
    doc.save()
    return out.getvalue()


def image(fmt: str = "JPEG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", size, (200, 40, 40))
    if exif is not None:
        picture.save(out, fmt, exif=exif)
    else:
        picture.save(out, fmt)
    return out.getvalue()


def zipped(entry: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(entry, "<x/>")
    return out.getvalue()


XMP_PDFA = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    b'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="2" pdfaid:conformance="B"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def pdfa() -> bytes:
    """A PDF whose catalogue carries PDF/A identification metadata (compressed, as it may be)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    packet = DecodedStreamObject()
    packet.set_data(XMP_PDFA)
    packet[NameObject("/Type")] = NameObject("/Metadata")
    packet[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(packet.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def photo_exif(taken: str = "2019:05:01 09:30:00") -> "Image.Exif":
    """EXIF as a camera writes it: device, time, resolution and a GPS fix (东经110°, 北纬33°)."""
    exif = Image.Exif()
    exif[0x010F] = "Huawei"  # Make
    exif[0x0110] = "P30"  # Model
    exif[0x011A] = 300.0  # XResolution
    exif[0x011B] = 300.0  # YResolution
    exif[0x0128] = 2  # ResolutionUnit: inch
    exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 0.0, 36.0)  # 33°0'36" N = 33.01
    gps[3], gps[4] = "E", (110.0, 24.0, 0.0)  # 110°24'0" E = 110.4
    return exif
