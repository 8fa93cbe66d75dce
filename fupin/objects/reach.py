"""Is a store reachable right now? One cheap request per store, with short timeouts, for the
health check the reverse proxy polls (fupin/web/health.py). Reads nothing of any object."""

import os
import weakref
from dataclasses import dataclass

from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from django.core.files.storage import FileSystemStorage, Storage

from fupin.objects.stores import STORE_LABELS, store


@dataclass
class Reach:
    ok: bool
    kind: str
    error: str = ""
    detail: str = ""  # for the log only (it may name hosts); never in the response


# One client per S3 store instance: timeouts short and a single attempt, unlike the store's
# own client, which retries for a minute so an upload survives a hiccup.
_clients: "weakref.WeakKeyDictionary[Storage, object]" = weakref.WeakKeyDictionary()


def _probe_client(found: Storage, seconds: float) -> object:
    client = _clients.get(found)
    if client is None:
        config = found.client_config.merge(  # type: ignore[attr-defined]
            Config(
                connect_timeout=seconds,
                read_timeout=seconds,
                retries={"max_attempts": 1, "mode": "standard"},
            )
        )
        client = found._create_session().client(  # type: ignore[attr-defined]
            "s3",
            region_name=found.region_name,  # type: ignore[attr-defined]
            use_ssl=found.use_ssl,  # type: ignore[attr-defined]
            endpoint_url=found.endpoint_url,  # type: ignore[attr-defined]
            config=config,
            verify=found.verify,  # type: ignore[attr-defined]
        )
        _clients[found] = client
    return client


def _s3(found: Storage, seconds: float) -> Reach:
    try:
        _probe_client(found, seconds).head_bucket(Bucket=found.bucket_name)  # type: ignore[attr-defined]
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchBucket"):
            return Reach(False, "s3", "存储桶不存在", repr(exc))
        if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return Reach(False, "s3", "无权访问存储桶（密钥或权限有误）", repr(exc))
        return Reach(False, "s3", f"存储服务返回错误 {code}", repr(exc))
    except NoCredentialsError as exc:
        return Reach(False, "s3", "未配置访问密钥", repr(exc))
    except (ConnectTimeoutError, ReadTimeoutError) as exc:
        return Reach(False, "s3", "存储服务无响应（超时）", repr(exc))
    except BotoConnectionError as exc:
        return Reach(False, "s3", "无法连接存储服务", repr(exc))
    except Exception as exc:  # anything else is still an answer, never a 500
        return Reach(False, "s3", "存储检查失败", repr(exc))
    return Reach(True, "s3")


def _directory(found: FileSystemStorage) -> Reach:
    location = str(found.location)
    try:
        # What the store itself does on its first save: a new installation is not unhealthy.
        os.makedirs(location, exist_ok=True)
    except OSError as exc:
        return Reach(False, "directory", "存储目录不存在且无法创建", f"{location}: {exc}")
    if not os.access(location, os.W_OK | os.X_OK):
        return Reach(False, "directory", "存储目录不可写", location)
    return Reach(True, "directory")


def store_reach_prepare(key: str, seconds: float) -> None:
    """Build the probe's S3 client ahead of the first probe: making one costs a second of CPU
    (botocore loads its service model), which on a busy machine would eat the probe's time."""
    try:
        found = store(key)
        if hasattr(found, "bucket_name") and hasattr(found, "_create_session"):
            _probe_client(found, seconds)
    except Exception:
        pass  # the probe itself reports whatever is wrong


def store_reach(key: str, seconds: float) -> Reach:
    """Whether store `key` (primary / replica) answers: a directory that exists and can be
    written, or a bucket that exists and these credentials may use (one HEAD request)."""
    try:
        found = store(key)
    except Exception as exc:  # a store that cannot even be built (bad settings)
        return Reach(False, "unknown", f"{STORE_LABELS[key]}配置有误", repr(exc))
    if isinstance(found, FileSystemStorage):
        return _directory(found)
    if hasattr(found, "bucket_name") and hasattr(found, "_create_session"):
        return _s3(found, seconds)
    try:
        found.exists(".healthz")
    except Exception as exc:
        return Reach(False, type(found).__name__, "存储检查失败", repr(exc))
    return Reach(True, type(found).__name__)
