"""The forked METS reader has a time limit: one still at work when it is up is ended and the
package refused in Chinese, instead of the receipt check waiting for ever."""

import time

from fupin.checks.package import verify
from tests.checks_fixtures import built_bag


def test_a_stuck_mets_reader_is_ended_and_the_package_refused(world, tmp_path, monkeypatch):
    _, bag = built_bag(world, tmp_path)

    def stuck(*_args):
        time.sleep(120)
        return []

    monkeypatch.setattr(verify, "_mets_problems", stuck)
    monkeypatch.setattr(verify, "METS_TIMEOUT", 1.0)
    started = time.monotonic()
    report = verify.package_verify(bag)
    assert time.monotonic() - started < 30
    assert [p.message for p in report.problems] == [
        "metadata/mets.xml 未能核验：核验超过 1 秒仍未完成，已中止，"
        "数据包不能接收，请重试或检查服务器"
    ]
