"""Where the second copy of every stored file lives, read from the environment. Imported by
the settings module, so it imports nothing of Django's apps.

- FUPIN_REPLICA_DIR=/path: a directory (best on another disk or machine: a mounted share);
- FUPIN_REPLICA_S3_BUCKET (+ _ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _REGION): an
  S3-compatible bucket, with its own credentials so it is independent of the first store;
- FUPIN_REPLICA_URL: the same as one value, `file:///path`, `s3://KEY:SECRET@host[:port]/bucket`
  (HTTPS) or `s3+http://KEY:SECRET@host[:port]/bucket` (plain HTTP, e.g. MinIO on the LAN).
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FS_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"


def _s3(bucket: str, endpoint: str, key: str, secret: str, region: str) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # A repaired copy replaces the damaged one under the same name.
        "file_overwrite": True,
        # Path-style works with every S3-compatible server (MinIO, moto, Ceph), not only AWS.
        "addressing_style": "path",
    }
    if endpoint:
        options["endpoint_url"] = endpoint
    if key or secret:
        options["access_key"], options["secret_key"] = key, secret
    if region:
        options["region_name"] = region
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def _from_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"FUPIN_REPLICA_URL“{url}”缺少目录路径。")
        return {"BACKEND": FS_BACKEND, "OPTIONS": {"location": unquote(parts.path)}}
    if parts.scheme in ("s3", "s3+http", "s3+https"):
        bucket = parts.path.strip("/")
        if not bucket or not parts.hostname:
            raise ImproperlyConfigured(
                f"FUPIN_REPLICA_URL“{url}”应形如 s3://密钥:口令@主机[:端口]/存储桶。"
            )
        scheme = "http" if parts.scheme == "s3+http" else "https"
        port = f":{parts.port}" if parts.port else ""
        region = parse_qs(parts.query).get("region", [""])[0]
        return _s3(
            bucket,
            f"{scheme}://{parts.hostname}{port}",
            unquote(parts.username or ""),
            unquote(parts.password or ""),
            region,
        )
    raise ImproperlyConfigured(
        f"FUPIN_REPLICA_URL“{url}”的协议不受支持：应为 file://、s3:// 或 s3+http://。"
    )


def replica_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The STORAGES entry of the second store, or None when none is configured."""
    given = [
        name
        for name in ("FUPIN_REPLICA_DIR", "FUPIN_REPLICA_S3_BUCKET", "FUPIN_REPLICA_URL")
        if environ.get(name)
    ]
    if len(given) > 1:
        raise ImproperlyConfigured(f"第二存储只能配置一处，现同时设置了 {'、'.join(given)}。")
    if not given:
        return None
    if given[0] == "FUPIN_REPLICA_DIR":
        return {"BACKEND": FS_BACKEND, "OPTIONS": {"location": environ["FUPIN_REPLICA_DIR"]}}
    if given[0] == "FUPIN_REPLICA_URL":
        return _from_url(environ["FUPIN_REPLICA_URL"])
    return _s3(
        environ["FUPIN_REPLICA_S3_BUCKET"],
        environ.get("FUPIN_REPLICA_S3_ENDPOINT", ""),
        environ.get("FUPIN_REPLICA_S3_ACCESS_KEY", ""),
        environ.get("FUPIN_REPLICA_S3_SECRET_KEY", ""),
        environ.get("FUPIN_REPLICA_S3_REGION", ""),
    )
