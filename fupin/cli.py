"""The `fupin` command: every batch job of the system. Each app contributes its sub-commands."""

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from fupin.core import argparse_zh

COMMAND_MODULES = (
    "fupin.core.cli",
    "fupin.worker.cli",
    "fupin.regions.cli",
    "fupin.accounts.cli",
    "fupin.schedule.cli",
    "fupin.objects.cli",
    "fupin.records.cli",
    "fupin.households.cli",
    "fupin.photos.cli",
    "fupin.use.cli",
    "fupin.scans.cli",
    "fupin.search.cli",
    "fupin.checks.cli",
    "fupin.transfer.cli",
    "fupin.disposal.cli",
    "fupin.custody.cli",
    "fupin.supervision.cli",
    "fupin.audit.cli",
    "fupin.demo.cli",
)


class CommandFailed(Exception):
    """A batch job refused its input; the message is for the person at the terminal."""


def emit(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    """Print the result: JSON for scripts with --json, otherwise readable Chinese text."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        print(text)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果，供脚本使用")


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    parser = argparse.ArgumentParser(
        prog="fupin", description="精准扶贫档案管理系统 · 命令行批处理"
    )
    groups = parser.add_subparsers(dest="group", metavar="命令", required=True)
    for name in COMMAND_MODULES:
        import_module(name).register(groups)
    argparse_zh.name_subcommands(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    parser = build_parser()
    args = parser.parse_args(argv)
    import django
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404

    django.setup()
    try:
        return int(args.handler(args) or 0)
    except (CommandFailed, ValidationError, PermissionDenied, Http404) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if getattr(args, "json", False):
            print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
        print(f"错误：{message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # `python -m fupin.cli` runs this file as __main__, a second copy of the module: the
    # commands raise fupin.cli.CommandFailed, which only the imported module's main() catches.
    from fupin import cli

    sys.exit(cli.main())
