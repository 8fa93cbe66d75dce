"""System commands: set up the database, serve the web, run the background worker."""

import argparse
import os
import socket
import sys

from fupin.cli import CommandFailed, add_json_flag, emit


def register(groups: argparse._SubParsersAction) -> None:
    p = groups.add_parser("setup", help="创建或升级数据库并收集静态文件")
    add_json_flag(p)
    p.set_defaults(handler=setup)
    p = groups.add_parser("serve", help="启动网页服务（gunicorn）")
    p.add_argument("--bind", default=os.environ.get("FUPIN_BIND", "127.0.0.1:8000"))
    p.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("FUPIN_WEB_WORKERS", str((os.cpu_count() or 1) + 1))),
        help="进程数（默认 CPU 核数 + 1）",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("FUPIN_WEB_THREADS", "4")),
        help="每个进程的线程数（默认 4）",
    )
    p.set_defaults(handler=serve)
    p = groups.add_parser("manage", help="执行 Django 管理命令（高级）")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=manage)


def setup(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    emit(args, {"ok": True}, "数据库与静态文件已就绪。")
    return 0


def serve(args: argparse.Namespace) -> int:
    # Pages wait this long for a lock another process holds, then answer 503 (PostgreSQL
    # otherwise waits for ever, past gunicorn's timeout).
    os.environ.setdefault("FUPIN_DB_WAIT_SECONDS", "20")
    if _listening(args.bind):
        raise CommandFailed(
            f"地址 {args.bind} 已有程序在监听（可能是另一个 fupin serve）。"
            "请先停止它，或用 --bind 换一个端口。"
        )
    argv = ["gunicorn", "fupin.wsgi:application", "--bind", args.bind]
    # Threads keep connections alive (a sync worker closes each) and let a worker go on with
    # other requests while one waits on the database or the disk; processes use the cores.
    argv += ["--workers", str(args.workers), "--threads", str(args.threads)]
    argv += ["--worker-class", "gthread", "--keep-alive", "5"]
    # Each process listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
    # connections over them. On one shared socket, whichever process woke first took most of
    # a burst of kept-alive connections, and they waited on that process's GIL while the
    # other core idled.
    argv += ["--reuse-port"]
    # gunicorn's own lines in the application's one-line format; no access log of its own:
    # the application logs every request with its id (fupin/core/logs.py).
    argv += ["--logger-class", "fupin.core.logs.GunicornLogger"]
    os.execvp(sys.executable, [sys.executable, "-m", *argv])


def _listening(bind: str) -> bool:
    """Whether something already listens on this host:port. The processes share the port
    (SO_REUSEPORT), so a second server started on it by mistake would not fail: it would
    quietly take part of the connections."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or host.startswith("unix"):
        return False
    host = host.strip("[]")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # Connections of an earlier server still in TIME_WAIT do not count; a listener does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError:
            return True
    return False


def manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fupin manage", *args.rest])
    return 0
