"""Where a batch's package lives, and what goes into it. The package itself (BagIt + METS/PREMIS,
both manifests, catalogue, four-property report) is made and checked by fupin.checks.package
(`package_build`, `package_verify`): this module only names the batch's records and reads
back the per-record metadata a verified package carries."""

import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings

from fupin.checks.models import CheckRun
from fupin.checks.package.build import package_build
from fupin.checks.package.verify import package_digest
from fupin.households.models import Household
from fupin.transfer.models import Batch


def packages_dir() -> Path:
    path = Path(
        getattr(settings, "FUPIN_TRANSFER_DIR", "") or Path(settings.MEDIA_ROOT) / "transfer"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def package_path(name: str) -> Path:
    return packages_dir() / name


def batch_package_build(batch: Batch, run: CheckRun) -> tuple[Path, str, int]:
    """Build the batch's package with its passed transfer-stage run: (path, package digest,
    payload bytes). A package left at the batch's place by a build killed before its batch was
    saved is an orphan (the batch row is locked by the caller) and is replaced."""
    dest = package_path(batch.number)
    if dest.exists():
        shutil.rmtree(dest)
    volume_ids = list(batch.volumes.values_list("volume_id", flat=True))
    households = Household.objects.filter(file__volume_id__in=volume_ids).values_list(
        "pk", flat=True
    )
    package_build(
        items=list(batch.items.values_list("item_id", flat=True)),
        volumes=volume_ids,
        households=list(households),
        meta={
            "sender": batch.unit.name,
            "receiver": batch.archives.name,
            "batch": batch.number,
            "note": f"{batch.unit.name}向{batch.archives.name}{batch.nature}"
            + (f"（提前移交：{batch.early_reason}）" if batch.early_reason else ""),
            "check_run": run,
        },
        dest=dest,
    )
    payload = sum(p.stat().st_size for p in (dest / "data").rglob("*") if p.is_file())
    return dest, package_digest(dest), payload


def package_records(root: Path) -> list[dict[str, Any]]:
    """The per-record metadata in a verified package (data/records/*/metadata.json)."""
    found = []
    for path in sorted((root / "data" / "records").glob("*/metadata.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        record["_folder"] = path.parent.relative_to(root).as_posix()
        found.append(record)
    return found
