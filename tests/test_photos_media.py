"""Audio (录音) and video (录像) items: the file attached, the duration read from a WAV."""

import io
import wave

from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.photos.models import MediaDetails
from tests.records_fixtures import set_up_fonds


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(b"\0\0" * int(seconds * rate))
    return out.getvalue()


def post_media(world, content, name, **fields):
    unit = world.units["office_a"]
    set_up_fonds(unit)
    data = {"category": "LY", "title": "扶贫工作推进会讲话录音", "date": "2016-08-03", **fields}
    return world.client("unit_a").post(
        f"/api/v1/photos/units/{unit.pk}/media", {"file": SimpleUploadedFile(name, content), **data}
    )


def test_wav_recording_gets_its_duration(world):
    response = post_media(world, wav(2.5), "讲话.wav")
    assert response.status_code == 201, response.content
    body = response.json()
    assert float(body["duration_seconds"]) == 2.5 and body["category"] == "LY"
    item = world.client("unit_a").get(f"/api/v1/records/items/{body['record_id']}").json()
    assert (item["year"], item["pages"], item["title"]) == (2016, 1, "扶贫工作推进会讲话录音")


def test_unreadable_duration_is_left_blank(world):
    body = post_media(world, b"ID3\x03\x00" + b"\0" * 200, "访谈.mp3").json()
    assert body["duration_seconds"] is None
    assert MediaDetails.objects.get().duration_seconds is None


def test_only_audio_or_video_categories(world):
    response = post_media(world, wav(1), "a.wav", category="WS")
    assert response.status_code == 400 and "录音（LY）或录像（LX）" in response.json()["detail"]
