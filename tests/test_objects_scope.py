"""Capture events and objects are read through the access layer: other counties see nothing."""

import io

import pytest
from django.http import Http404

from fupin.objects.selectors import (
    object_by_sha256,
    unit_capture_events,
    visible_capture_events,
    visible_objects,
)
from fupin.objects.services import object_capture, photo_thumbnail
from tests import objects_samples as samples


@pytest.fixture
def captured(world):
    unit = world.units["office_a"]
    done = object_capture(
        actor=world.users["unit_a"],
        stream=io.BytesIO(samples.image("JPEG")),
        filename="a.jpg",
        category="ZP",
        unit=unit,
    )
    return unit, done.object


def test_own_county_sees_events_and_objects(world, captured):
    unit, obj = captured
    county = world.users["county_a"]
    assert [e.filename for e in unit_capture_events(county, unit.pk)] == ["a.jpg"]
    assert object_by_sha256(county, obj.sha256.upper()) == obj
    thumb = photo_thumbnail(actor=None, obj=obj)
    assert set(visible_objects(county)) == {obj, thumb}


def test_other_county_gets_404_and_empty_lists(world, captured):
    unit, obj = captured
    other = world.users["county_b"]
    with pytest.raises(Http404):
        unit_capture_events(other, unit.pk)
    with pytest.raises(Http404):
        object_by_sha256(other, obj.sha256)
    assert not visible_capture_events(other).exists()
    assert not visible_objects(other).exists()


def test_capture_for_a_unit_out_of_scope_is_refused(world):
    with pytest.raises(Http404):
        object_capture(
            actor=world.users["county_b"],
            stream=io.BytesIO(samples.pdf()),
            filename="a.pdf",
            category="WS",
            unit=world.units["office_a"],
        )
