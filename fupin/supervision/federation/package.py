"""Signed report packages between installations (a county's own system → the province's).

A package is JSON: the payload (quarter, region, figures, sender, created), the SHA-256
digest of the payload's canonical form, and an HMAC-SHA256 signature of that digest under
the sender's key. Each installation signs with FUPIN_FEDERATION_KEY as
FUPIN_FEDERATION_SENDER; the receiving one knows its senders' keys from
FUPIN_FEDERATION_TRUSTED ("发送方=密钥" pairs separated by commas).
"""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

FORMAT = "fupin-quarter-report/1"


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _signature(key: str, digest: str) -> str:
    return hmac.new(key.encode(), digest.encode(), hashlib.sha256).hexdigest()


def own_identity() -> tuple[str, str]:
    sender = getattr(settings, "FUPIN_FEDERATION_SENDER", "")
    key = getattr(settings, "FUPIN_FEDERATION_KEY", "")
    if not sender or not key:
        raise ValidationError(
            "未配置 FUPIN_FEDERATION_SENDER 与 FUPIN_FEDERATION_KEY，不能导出签名数据包。"
        )
    return sender, key


def trusted_keys() -> dict[str, str]:
    raw = getattr(settings, "FUPIN_FEDERATION_TRUSTED", "")
    pairs = (part.split("=", 1) for part in raw.split(",") if "=" in part)
    return {name.strip(): key.strip() for name, key in pairs}


def seal(payload: dict[str, Any]) -> dict[str, Any]:
    _sender, key = own_identity()
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    return {
        "format": FORMAT,
        "payload": payload,
        "digest": digest,
        "signature": _signature(key, digest),
    }


def open_package(raw: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """The verified payload and digest, or a Chinese reason for refusing the package."""
    try:
        package = raw if isinstance(raw, dict) else json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError("数据包不是有效的 JSON 文件。") from exc
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise ValidationError("不是本系统的季报数据包（格式标识不符）。")
    payload = package.get("payload")
    if not isinstance(payload, dict):
        raise ValidationError("数据包缺少报表内容。")
    sender = str(payload.get("sender", ""))
    key = trusted_keys().get(sender)
    if key is None:
        raise ValidationError(f"报送方“{sender}”不在本系统信任的报送方名单中，拒绝导入。")
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    if not hmac.compare_digest(digest, str(package.get("digest", ""))):
        raise ValidationError("数据包内容与摘要不符，可能已被篡改，拒绝导入。")
    if not hmac.compare_digest(_signature(key, digest), str(package.get("signature", ""))):
        raise ValidationError("数据包签名校验失败，可能已被篡改或不是该报送方签发，拒绝导入。")
    return payload | {"digest": digest}
