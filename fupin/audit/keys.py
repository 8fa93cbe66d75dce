"""The audit trail's MAC keys, kept outside the database: whoever can write the database
but not read this key cannot make a row (or re-chain rows) that verifies.

Where the keys come from, in this order:
- `FUPIN_AUDIT_KEY`: the keys themselves (for a secret store that fills the environment);
- `FUPIN_AUDIT_KEY_FILE`: a file readable by the application only (mode 0600);
- in debug, demo and test installations only: `<FUPIN_DATA_DIR>/secrets/audit.key`, made on
  first use. Production refuses to start without one of the first two (settings.py).

Format: one key per line (or comma-separated in the environment), `id:secret`; `#` starts a
comment. The FIRST key signs new rows; the others only verify older rows. A bare secret
without `id:` gets an id derived from it. Rotation: put the new key first, keep the old ones
below it for as long as rows signed with them exist (always, for an archive), restart the web
and worker processes. Each row stores the id of the key that signed it."""

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
MIN_SECRET = 16


@dataclass(frozen=True)
class AuditKeys:
    current_id: str
    by_id: dict[str, bytes]

    @property
    def current(self) -> bytes:
        return self.by_id[self.current_id]


def _derived_id(secret: bytes) -> str:
    return "k" + hmac.new(secret, b"fupin audit key id", hashlib.sha256).hexdigest()[:10]


def parse_keys(text: str, where: str) -> AuditKeys:
    found: list[tuple[str, bytes]] = []
    for raw in re.split(r"[\n,]", text):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, rest = line.partition(":")
        if sep and KEY_ID.match(name.strip()):
            key_id, secret = name.strip(), rest.strip().encode()
        else:
            key_id, secret = "", line.encode()
        if len(secret) < MIN_SECRET:
            raise ImproperlyConfigured(f"{where} 中的审计密钥太短：至少 {MIN_SECRET} 个字符。")
        key_id = key_id or _derived_id(secret)
        if any(key_id == k for k, _ in found):
            raise ImproperlyConfigured(f"{where} 中的审计密钥编号 {key_id} 重复。")
        found.append((key_id, secret))
    if not found:
        raise ImproperlyConfigured(f"{where} 中没有审计密钥。")
    return AuditKeys(found[0][0], dict(found))


def default_key_file() -> Path:
    return Path(settings.DATA_DIR) / "secrets" / "audit.key"


def _make_default(path: Path) -> None:
    """A fresh random key for a debug/demo/test installation, written so that two processes
    starting at once end up with the same file (link is atomic and refuses to overwrite)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    key_id = timezone.now().strftime("%Y%m%d")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(
            "# 审计日志密钥（开发/演示/测试安装自动生成；不在数据库中，勿提交到版本库）\n"
            f"{key_id}:{secrets.token_hex(32)}\n"
        )
    try:
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()


@lru_cache(maxsize=4)
def _load(env_keys: str, key_file: str) -> AuditKeys:
    if env_keys:
        return parse_keys(env_keys, "FUPIN_AUDIT_KEY")
    path = Path(key_file) if key_file else default_key_file()
    if not key_file and not path.exists():
        _make_default(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"无法读取审计密钥文件 {path}：{exc.strerror}") from exc
    return parse_keys(text, str(path))


def audit_keys() -> AuditKeys:
    """The keys, read once per process (a rotation takes effect on restart)."""
    return _load(settings.FUPIN_AUDIT_KEY, settings.FUPIN_AUDIT_KEY_FILE)
