import argparse
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".tif", ".tiff"}


def register(groups: argparse._SubParsersAction) -> None:
    photos = groups.add_parser("photos", help="照片档案（DA/T 50）")
    commands = photos.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser(
        "import", help="把一个文件夹中的 JPEG/TIFF 照片按摄影时间顺序导入照片组"
    )
    p.add_argument("folder", type=Path)
    p.add_argument("--group", type=int, required=True, help="照片组编号")
    add_json_flag(p)
    p.set_defaults(handler=import_folder)


def _in_time_order(files: list[Path]) -> list[Path]:
    """By EXIF time; photos without one (or unreadable) go last, by name."""
    import datetime

    from PIL import Image

    from fupin.core.folders import open_inside
    from fupin.objects.exif import exif_read

    latest = datetime.datetime.max.replace(tzinfo=datetime.UTC)

    def key(path: Path) -> tuple[datetime.datetime, str]:
        try:
            with open_inside(path, path.parent) as handle, Image.open(handle) as image:
                taken = exif_read(image).taken_at
        except (OSError, SyntaxError, ValueError):
            taken = None
        return (taken or latest, path.name)

    return sorted(files, key=key)


def import_folder(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from fupin.core.folders import folder_files, open_inside
    from fupin.photos.models import PhotoGroup
    from fupin.photos.services import photo_capture

    if not PhotoGroup.objects.filter(pk=args.group).exists():
        raise CommandFailed(f"照片组 {args.group} 不存在。")
    if not args.folder.is_dir():
        raise CommandFailed(f"文件夹 {args.folder} 不存在。")
    found, refused = folder_files(args.folder)
    files = [f for f in found if f.suffix.lower() in PHOTO_SUFFIXES]
    results: list[dict] = [{"file": name, "ok": False, "error": why} for name, why in refused]
    if not files and not refused:
        raise CommandFailed(f"文件夹 {args.folder} 中没有 JPEG 或 TIFF 照片。")
    for path in _in_time_order(files):
        try:
            with open_inside(path, args.folder) as handle:
                done = photo_capture(
                    actor=None, group_id=args.group, stream=handle, filename=path.name
                )
        except ValidationError as exc:
            results.append({"file": path.name, "ok": False, "error": "；".join(exc.messages)})
            continue
        except OSError as exc:
            results.append({"file": path.name, "ok": False, "error": str(exc.args[0])})
            continue
        results.append(
            {
                "file": path.name,
                "ok": True,
                "record_id": done.item.pk,
                "reference_code": done.item.reference_code,
                "taken_at": done.details.taken_at,
                "notes": done.notes,
            }
        )
    failed = [r for r in results if not r["ok"]]
    lines = [
        f"{r['file']}：{r['reference_code']}" if r["ok"] else f"{r['file']}：失败，{r['error']}"
        for r in results
    ]
    lines.append(f"导入 {len(results) - len(failed)} 张，失败 {len(failed)} 张。")
    emit(args, {"ok": not failed, "photos": results}, "\n".join(lines))
    return 1 if failed else 0
