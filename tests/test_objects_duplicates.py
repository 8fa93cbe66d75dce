"""Content addressing: stored under the SHA-256, the same bytes once, nothing overwritten."""

import io

from fupin.objects.models import CaptureEvent, StoredObject
from fupin.objects.services import object_capture
from tests import objects_samples as samples


def capture(content: bytes, name: str = "a.pdf"):
    return object_capture(actor=None, stream=io.BytesIO(content), filename=name, category="WS")


def stored_files(media_root):
    return sorted(p for p in (media_root / "objects").rglob("*") if p.is_file())


def test_stored_under_its_digest(world, media_root):
    done = capture(samples.pdf())
    sha = done.object.sha256
    assert done.object.storage_name == f"objects/{sha[:2]}/{sha[2:4]}/{sha}"
    assert stored_files(media_root) == [media_root / done.object.storage_name]
    assert done.outcome == "stored" and not done.duplicate


def test_same_content_is_stored_once_and_reported(world, media_root):
    content = samples.pdf()
    first = capture(content, "a.pdf")
    again = capture(content, "b.pdf")
    assert again.duplicate and again.object == first.object
    assert again.notes[0] == "与已存文件内容相同，未重复保存。"
    assert StoredObject.objects.count() == 1 and len(stored_files(media_root)) == 1
    names = list(CaptureEvent.objects.order_by("pk").values_list("filename", "outcome"))
    assert names == [("a.pdf", "stored"), ("b.pdf", "duplicate")]


def test_a_new_version_is_a_new_object_and_the_old_bytes_stay(world, media_root):
    old = capture(samples.pdf(text="初稿"), "通知.pdf")
    old_path = media_root / old.object.storage_name
    before = old_path.read_bytes(), old_path.stat().st_ino
    new = capture(samples.pdf(text="定稿"), "通知.pdf")
    assert new.object != old.object and new.outcome == "stored"
    assert (old_path.read_bytes(), old_path.stat().st_ino) == before
    assert len(stored_files(media_root)) == 2


def test_bytes_already_in_storage_are_not_rewritten(world, media_root):
    """Left by a capture whose transaction failed: the name is the digest, so they are reused."""
    content = samples.pdf()
    first = capture(content)
    path = media_root / first.object.storage_name
    inode = path.stat().st_ino
    CaptureEvent.objects.all().delete()
    first.object.digests.all().delete()
    first.object.delete()
    again = capture(content)
    assert again.outcome == "stored" and path.stat().st_ino == inode
    assert len(stored_files(media_root)) == 1
