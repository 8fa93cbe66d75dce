"""Each file opens as the format it claims, is on the long-term list, and hides no encryption,
scripts, embedded files, macros or programs."""

import io
import zipfile

from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from fupin.checks.services import checks_run
from fupin.objects.models import StoredObject
from tests import objects_samples
from tests.checks_fixtures import archived_items, result


def _pdf(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(objects_samples.pdf(text="x"))))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_with_macro() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<x/>")
        package.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def _run(world, files):
    items = archived_items(world, count=len(files), files=files)
    return checks_run(actor=None, stage="keeping", items=items), items


def _reasons(run, code):
    return {(f["record"].split(" / ")[1], f["reason"]) for f in result(run, code).failures}


def test_clean_pdf_passes_every_file_check(world):
    run, _ = _run(world, [(objects_samples.pdf(), "a.pdf")])
    for code in ("format_identity", "format_policy", "no_encryption", "no_executable"):
        assert result(run, code).outcome == "passed", code


def test_wrong_extension_wrong_claim_and_policy(world):
    run, items = _run(
        world, [(objects_samples.image("PNG"), "图.pdf"), (objects_samples.image("GIF"), "图.gif")]
    )
    assert ("图.pdf", "扩展名 .pdf 与格式PNG 图像不符") in _reasons(run, "format_identity")
    assert any(
        r.startswith("GIF 图像不在“文书”门类的长期保存格式")
        for _, r in _reasons(run, "format_policy")
    )
    StoredObject.objects.filter(format="gif").update(format="jpeg")
    again = checks_run(actor=None, stage="keeping", items=items)
    assert ("图.gif", "实际格式为GIF 图像，与登记的JPEG 图像不符") in _reasons(
        again, "format_identity"
    )


def test_encrypted_scripted_and_embedded_pdfs_are_refused(world):
    def encrypt(w):
        w.encrypt(user_password="", owner_password="owner")

    run, _ = _run(
        world,
        [
            (_pdf(encrypt), "加密.pdf"),
            (_pdf(lambda w: w.add_open_action(JavaScript("app.alert(1);"))), "脚本.pdf"),
            (_pdf(lambda w: w.add_attachment("run.exe", b"MZ\x90\x00")), "附件.pdf"),
        ],
    )
    assert ("加密.pdf", "PDF 已加密（/Encrypt）") in _reasons(run, "no_encryption")
    active = _reasons(run, "no_executable")
    assert ("脚本.pdf", "含 JavaScript 脚本") in active
    assert ("附件.pdf", "含嵌入文件") in active


def test_programs_and_macros_are_refused(world):
    program = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)
    run, _ = _run(world, [(program, "工具.txt"), (_docx_with_macro(), "宏.docx")])
    active = _reasons(run, "no_executable")
    assert ("工具.txt", "是Windows 可执行程序（EXE/DLL）") in active
    assert ("宏.docx", "含宏代码（word/vbaProject.bin）") in active
