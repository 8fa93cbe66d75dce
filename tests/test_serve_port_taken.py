"""`fupin serve` on an address something already listens on is refused in Chinese. Its
processes share their port (SO_REUSEPORT), so without this check a second server started there
by mistake would come up beside the first and quietly take part of its connections."""

import os
import signal
import socket
import subprocess
import sys

from tests.procs import ROOT


def test_serve_refuses_an_address_already_listened_on():
    with socket.socket() as held:
        # As a running `fupin serve` process holds it.
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "fupin.cli", "serve", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip
        try:
            _out, err = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            _out, err = server.communicate()
            raise AssertionError(f"第二个服务没有被拒绝，而是启动了：{err[-1000:]}") from None
    assert server.returncode == 2, err
    assert f"127.0.0.1:{port} 已有程序在监听" in err
