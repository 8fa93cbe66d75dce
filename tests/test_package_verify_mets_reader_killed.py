"""The METS is read by a forked process; when that process dies (killed, out of memory) the
receipt check refuses the package in Chinese — it does not raise."""

import os
import signal

from fupin.checks.package import verify
from tests.checks_fixtures import built_bag


def test_a_killed_mets_reader_refuses_the_package(world, tmp_path, monkeypatch):
    _, bag = built_bag(world, tmp_path)

    def killed(*_args):
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(verify, "_mets_problems", killed)
    report = verify.package_verify(bag)
    assert not report.ok
    assert [p.message for p in report.problems] == [
        "metadata/mets.xml 未能核验：核验进程异常终止（退出码 -9，可能内存不足或被强行结束），"
        "数据包不能接收，请重试或检查服务器"
    ]
