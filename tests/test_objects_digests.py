"""Every capture records SHA-256 and SM3 (GB/T 32905), each with its algorithm, and audits it."""

import hashlib
import io

from fupin.audit.models import AuditEvent
from fupin.objects.digests import new_sm3
from fupin.objects.models import Digest
from fupin.objects.services import object_capture
from tests import objects_samples as samples

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_is_the_standard_algorithm():
    digest = new_sm3()
    digest.update(b"abc")
    assert digest.hexdigest() == SM3_ABC


def test_capture_records_both_digests_with_their_algorithms(world):
    content = samples.pdf(pages=2)
    done = object_capture(
        actor=None, stream=io.BytesIO(content), filename="通知.pdf", category="WS"
    )
    digests = dict(Digest.objects.filter(object=done.object).values_list("algorithm", "value"))
    sm3 = new_sm3()
    sm3.update(content)
    assert digests == {"SHA-256": hashlib.sha256(content).hexdigest(), "SM3": sm3.hexdigest()}
    assert done.object.sha256 == digests["SHA-256"] and done.object.size == len(content)


def test_sm3_of_abc_through_capture(world):
    done = object_capture(actor=None, stream=io.BytesIO(b"abc"), filename="a.txt", category="WS")
    assert done.object.digests.get(algorithm="SM3").value == SM3_ABC


def test_capture_is_audited_with_name_size_and_digest(world):
    done = object_capture(
        actor=world.users["unit_a"],
        stream=io.BytesIO(b"abc"),
        filename="a.txt",
        category="WS",
        unit=world.units["office_a"],
    )
    event = AuditEvent.objects.filter(action="object.capture").latest("seq")
    assert "a.txt" in event.summary and "3 字节" in event.summary
    assert done.object.sha256 in event.summary
    assert (event.actor_name, event.region_code) == ("unit_a", "420322")
    assert event.after["SM3"] == SM3_ABC
