"""The second store is configured from the environment: a directory, S3 variables or one URL;
a mistake is a clear Chinese error at start-up, never a silent single copy."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from fupin.objects.storeconf import FS_BACKEND, S3_BACKEND, replica_storage


def test_nothing_configured_means_no_second_store():
    assert replica_storage({}) is None


def test_a_directory():
    entry = replica_storage({"FUPIN_REPLICA_DIR": "/mnt/copy2"})
    assert entry == {"BACKEND": FS_BACKEND, "OPTIONS": {"location": "/mnt/copy2"}}


def test_s3_variables_carry_their_own_credentials():
    entry = replica_storage(
        {
            "FUPIN_REPLICA_S3_BUCKET": "fupin-copy",
            "FUPIN_REPLICA_S3_ENDPOINT": "http://10.0.0.5:9000",
            "FUPIN_REPLICA_S3_ACCESS_KEY": "k",
            "FUPIN_REPLICA_S3_SECRET_KEY": "s",
        }
    )
    assert entry["BACKEND"] == S3_BACKEND
    options = entry["OPTIONS"]
    assert (
        options["bucket_name"] == "fupin-copy" and options["endpoint_url"] == "http://10.0.0.5:9000"
    )
    assert (options["access_key"], options["secret_key"]) == ("k", "s")


def test_urls():
    s3 = replica_storage({"FUPIN_REPLICA_URL": "s3+http://k:s%2Fx@minio.lan:9000/copy?region=cn"})
    assert s3["OPTIONS"]["endpoint_url"] == "http://minio.lan:9000"
    assert s3["OPTIONS"]["secret_key"] == "s/x" and s3["OPTIONS"]["region_name"] == "cn"
    disk = replica_storage({"FUPIN_REPLICA_URL": "file:///srv/copy2"})
    assert disk["OPTIONS"]["location"] == "/srv/copy2"


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({"FUPIN_REPLICA_URL": "ftp://host/x"}, "协议不受支持"),
        ({"FUPIN_REPLICA_URL": "s3://host"}, "应形如"),
        ({"FUPIN_REPLICA_DIR": "/a", "FUPIN_REPLICA_S3_BUCKET": "b"}, "只能配置一处"),
    ],
)
def test_mistakes_are_named(environ, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        replica_storage(environ)
