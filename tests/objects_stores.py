"""The second store for the tests: a directory, or a bucket on a real S3-protocol server
(moto's server mode, started once per session by tests/objects_s3.py)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from fupin.objects.services import object_capture
from fupin.objects.storeconf import FS_BACKEND


def use_replica(settings, entry: dict) -> None:
    settings.STORAGES = {**settings.STORAGES, "replica": entry}


@pytest.fixture
def disk_replica(settings, tmp_path):
    use_replica(settings, {"BACKEND": FS_BACKEND, "OPTIONS": {"location": str(tmp_path / "copy2")}})
    return storages["replica"]


class Captures:
    """Capture through the service and run what it leaves for after the commit (the copy to
    the second store), as a committed request would."""

    def __init__(self, run_on_commit):
        self.run_on_commit = run_on_commit

    def __call__(self, content: bytes, name: str = "a.pdf", category: str = "WS"):
        with self.run_on_commit(execute=True):
            done = object_capture(
                actor=None, stream=io.BytesIO(content), filename=name, category=category
            )
        return done


def overwrite(storage, name: str, content: bytes) -> None:
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name


MOTO_PORTS = range(8125, 8130)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server mode as a real process on 127.0.0.1 (the objects stream's ports)."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = next((p for p in MOTO_PORTS if _port_free(p)), None)
    if port is None:
        pytest.fail("127.0.0.1:8125–8129 都被占用，无法启动 S3 测试服务器（moto）。")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("S3 测试服务器（moto）未能启动。")
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


S3_KEYS = {"access_key": "fupin-test", "secret_key": "fupin-test-secret"}


def s3_bucket(endpoint: str) -> str:
    import uuid

    import boto3

    name = f"fupin-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
        region_name="us-east-1",
    ).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_replica(settings, s3_server):
    from fupin.objects.storeconf import replica_storage

    entry = replica_storage(
        {
            "FUPIN_REPLICA_S3_BUCKET": s3_bucket(s3_server),
            "FUPIN_REPLICA_S3_ENDPOINT": s3_server,
            "FUPIN_REPLICA_S3_ACCESS_KEY": S3_KEYS["access_key"],
            "FUPIN_REPLICA_S3_SECRET_KEY": S3_KEYS["secret_key"],
            "FUPIN_REPLICA_S3_REGION": "us-east-1",
        }
    )
    use_replica(settings, entry)
    return storages["replica"]
