"""`fupin audit verify` over N audit events (default 1,000,000; `--n` or
FUPIN_BENCH_AUDIT_EVENTS to shrink): the events are generated as a correct keyed chain in
bulk, anchored, and then the command is timed in a child process, as an operator runs it.

The events cannot be removed afterwards (the audit trail is append-only): run it on the
throwaway database the runner makes, not on a database you keep."""

import json
import os
import resource
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Figure, stopwatch

BENCH = "audit_verify"
BATCH = 20_000


def _count() -> int:
    return int(
        os.environ.get("FUPIN_BENCH_AUDIT_EVENTS") or os.environ.get("FUPIN_BENCH_N") or 1_000_000
    )


def _generate(n: int) -> None:
    from django.db import transaction

    from fupin.audit.chain import GENESIS, link_mac
    from fupin.audit.keys import audit_keys
    from fupin.audit.models import AuditEvent, AuditHead

    keys = audit_keys()
    head, _ = AuditHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS})
    seq, prev = head.seq, head.hash
    if seq:
        print(f"注意：数据库中已有 {seq} 条审计记录，接在其后生成。", file=sys.stderr)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    made = 0
    while made < n:
        rows = []
        for _ in range(min(BATCH, n - made)):
            seq += 1
            values = {
                "seq": seq,
                "at": start + timedelta(seconds=seq),
                "actor_id": None,
                "actor_name": "bench",
                "ip": "10.0.0.1",
                "action": "records.item_update",
                "object_type": "records.recorditem",
                "object_id": str(seq),
                "region_code": "420322100201",
                "summary": f"基准事件 {seq}：修改文件题名",
                "before": {"title": f"旧题名{seq}"},
                "after": {"title": f"新题名{seq}"},
            }
            digest = link_mac(keys.current, keys.current_id, prev, values)
            rows.append(AuditEvent(prev_hash=prev, hash=digest, key_id=keys.current_id, **values))
            prev = digest
        with transaction.atomic():
            AuditEvent.objects.bulk_create(rows, batch_size=2000)
            AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)
        made += len(rows)


def run() -> list[Figure]:
    from django.conf import settings
    from django.db import connections

    from fupin.audit.anchors import anchor_publish

    n = _count()
    with stopwatch() as made:
        _generate(n)
    anchor_publish(reason="基准测试")
    connections.close_all()
    env = dict(os.environ)
    env.setdefault("FUPIN_DATA_DIR", str(settings.DATA_DIR))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with stopwatch() as took:
        done = subprocess.run(
            [sys.executable, "-m", "fupin.cli", "audit", "verify", "--json"],
            env=env, cwd=Path(__file__).resolve().parent.parent, capture_output=True,
            text=True, timeout=7200,
        )  # fmt: skip
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"], (done.stdout, done.stderr[-2000:])
    print(f"校验：{report['checked']} 条；{'；'.join(report['notes'])}", file=sys.stderr)
    return [
        Figure(BENCH, "生成事件数", n, "条"),
        Figure(BENCH, "生成速度（批量写入含 MAC）", n / made[0], "条/s"),
        Figure(BENCH, "fupin audit verify 耗时", took[0], "s"),
        Figure(BENCH, "校验速度", report["checked"] / took[0], "条/s"),
        Figure(BENCH, "校验进程峰值内存", peak, "MB"),
    ]
