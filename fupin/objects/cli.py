import argparse
from pathlib import Path

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    objects = groups.add_parser("objects", help="电子文件（摘要、格式、固定性检查）")
    commands = objects.add_subparsers(dest="cmd", required=True)
    p = commands.add_parser("verify", help="重新计算全部已存文件的 SHA-256 与 SM3，核对固定性")
    add_json_flag(p)
    p.set_defaults(handler=verify)
    p = commands.add_parser("capture", help="接收文件或文件夹（递归）到电子文件库")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--category", default="WS", help="门类代码：WS、KJ、ZY、ZP、LY、LX、SJ")
    add_json_flag(p)
    p.set_defaults(handler=capture)


def verify(args: argparse.Namespace) -> int:
    from fupin.objects.models import StoredObject
    from fupin.objects.services import object_verify

    bad = [o.sha256 for o in StoredObject.objects.iterator() if not object_verify(o)]
    total = StoredObject.objects.count()
    text = (
        f"固定性检查通过：{total} 个文件。"
        if not bad
        else f"固定性检查失败：{len(bad)} / {total} 个文件内容与摘要不符：" + "、".join(bad)
    )
    emit(args, {"ok": not bad, "checked": total, "mismatched": bad}, text)
    return 1 if bad else 0


def capture(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from fupin.objects.services import object_capture

    files = [
        f for p in args.paths for f in ([p] if p.is_file() else sorted(p.rglob("*"))) if f.is_file()
    ]
    if not files:
        raise CommandFailed("没有找到要接收的文件。")
    results = []
    for path in files:
        with path.open("rb") as handle:
            try:
                done = object_capture(
                    actor=None, stream=handle, filename=path.name, category=args.category
                )
            except ValidationError as exc:
                results.append({"file": str(path), "ok": False, "error": "；".join(exc.messages)})
                continue
        results.append(
            {
                "file": str(path),
                "ok": True,
                "outcome": done.outcome,
                "sha256": done.object.sha256,
                "notes": done.notes,
            }
        )
    failed = [r for r in results if not r["ok"]]
    lines = [f"{r['file']}：{r.get('outcome') or r['error']}" for r in results]
    emit(args, results, "\n".join(lines))
    return 2 if failed else 0
