"""Full-text search on a generated corpus: latency of 20 typical queries through the page's own
code path (HTTP request → view → selector → template) against the raw engine query on the same
index, measured in the same run; index build rate and size.

What "raw" measures (`backends.raw_search`): the work the page asks of the engine, on the
DB-API connection without Django — the query's text terms alone (no scope or filter tags; the
benchmark's reader sees the whole county, so the matches are the same), the newest 10,001
matches fetched once (on PostgreSQL window by window of id buckets; for a long query with
fewer whole matches, those of its one-character-off variants too — as the page does) and
counted, and the best 20 of them by the page's ranking (whole matches, titles holding the
query, then newest). What the page adds: session and scope,
the scope/filter tags and the access layer's filter on every candidate, every candidate's
place in the ranking, facets, snippets from the source records, template.

    ./bench/run search                               # 1,000,000 items (FUPIN_BENCH_SEARCH_ITEMS)
    python -m bench.bench_search --items 50000       # smaller, on a fresh SQLite database
    FUPIN_BENCH_KEEP_DB=/var/tmp/corpus ./bench/run search   # generated once, then reused

With FUPIN_BENCH_KEEP_DB a later run finds the corpus (of the same size) and skips generating
it, and skips the rebuild too when the index is current (nothing queued, one document per
item); then it reports no build rate. A migration that queues the documents forces a rebuild.
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Callable

from bench.common import Figure

BENCH = "search"
DEFAULT_ITEMS = 1_000_000
VILLAGES = 40
ROUNDS = 5
QUERIES = [
    "雨露计划", "易地搬迁", "危房改造", "产业扶贫", "签到表", "2016", "郧扶办发〔2016〕12号",
    "张三丰", "光伏", "精准扶贫", "验收", "贫困户 申请书", "技能培训", "教育扶贫 资助",
    "小额信贷", "公示", "台账", "村民代表大会", "健康扶贫", "扶贫",
]  # fmt: skip
PLACES = ["东岭", "西岭", "南坪", "北坡", "王家湾", "李家沟", "黄龙", "青山", "白沙", "石门"]
PROJECTS = [
    "雨露计划", "易地搬迁", "危房改造", "产业扶贫", "光伏扶贫", "教育扶贫", "健康扶贫",
    "小额信贷", "技能培训", "饮水安全", "道路硬化", "电商扶贫", "生态补偿", "金融扶贫",
    "就业扶贫", "兜底保障", "社会扶贫", "旅游扶贫", "精准扶贫", "结对帮扶",
]  # fmt: skip
KINDS = [
    "实施方案", "工作台账", "验收报告", "签到表", "公示", "申请书", "请示", "批复", "通知",
    "会议记录", "村民代表大会决议", "资金拨付凭证", "花名册", "总结", "考核表",
]  # fmt: skip
NAMES = ["张三丰", "李秀兰", "王建国", "赵四海", "周大福", "陈光明", "刘德华", "杨春花"]
FILLER = "根据县扶贫办的统一部署本村认真开展精准识别精准帮扶精准管理工作群众满意度不断提高"


def _title(rng: random.Random) -> str:
    return f"关于{rng.choice(PLACES)}村{rng.choice(PROJECTS)}{rng.choice(KINDS)}"


def _ocr(rng: random.Random) -> str:
    words = [
        rng.choice(PROJECTS),
        rng.choice(NAMES),
        rng.choice(KINDS),
        FILLER[rng.randrange(40) :],
    ]
    words += [rng.choice(PLACES) + "村", str(rng.randrange(2014, 2021)) + "年", FILLER]
    rng.shuffle(words)
    return "，".join(words) + "。"


def generate(items: int) -> tuple[object, list[int]]:
    """Regions, units and fonds through the services; items and scan pages by bulk insert."""
    from datetime import date

    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_grant, user_create, user_set_clearance
    from fupin.records.models import RecordItem
    from fupin.records.services import class_code_add, fonds_configure
    from fupin.regions.models import Level, Region, Unit, UnitKind
    from fupin.scans.models import ScanPage
    from fupin.schedule.selectors import base_version, rows_in_force
    from fupin.schedule.services import schedule_load_annex

    rng = random.Random(2016)
    tree = [("42", "湖北省", Level.PROVINCE, None), ("4203", "十堰市", Level.CITY, "42")]
    tree += [
        ("420322", "郧西县", Level.COUNTY, "4203"),
        ("420322100", "城关镇", Level.TOWNSHIP, "420322"),
    ]
    for code, name, level, parent in tree:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    version = schedule_load_annex(actor=None)
    row = next(r for r in rows_in_force(base_version()) if r.level == "village")
    units = []
    for n in range(VILLAGES):
        village = Region.objects.create(
            code=f"420322100{200 + n}", name=f"第{n}村", level=Level.VILLAGE, parent_id="420322100"
        )
        unit = Unit.objects.create(
            region=village, kind=UnitKind.VILLAGE_COMMITTEE, name=f"第{n}村委会",
            fonds_code=f"F{n:03d}", fonds_name=f"第{n}村委会",
        )  # fmt: skip
        fonds_configure(
            actor=None, unit_id=unit.pk, facet="department", code_template="{全宗号}-{件号}"
        )
        units.append((unit, class_code_add(actor=None, unit_id=unit.pk, code="BGS", name="办公室")))
    reader = user_create(
        actor=None, username="bench_county", full_name="bench",
        home_region=Region.objects.get(code="420322"),
        password="Bench-Search-2016!", must_change_password=False,
    )  # fmt: skip
    role_grant(
        actor=None,
        user_id=reader.pk,
        role=Role.POVERTY_OFFICE,
        region=Region.objects.get(code="420322"),
    )
    user_set_clearance(actor=None, user_id=reader.pk, clearance="confidential")
    started = time.perf_counter()
    batch = 5000
    for start in range(0, items, batch):
        rows = []
        for i in range(start, min(items, start + batch)):
            unit, klass = units[i % VILLAGES]
            rows.append(RecordItem(
                unit=unit, year=2014 + i % 7, category="WS", schedule_version=version,
                schedule_row=row, retention=("Y", "D30", "D10")[i % 3], class_code=klass,
                title=_title(rng), doc_number=f"郧扶办发〔{2014 + i % 7}〕{i % 200}号",
                responsible=f"{rng.choice(PLACES)}村民委员会", date=date(2014 + i % 7, 1, 1),
                pages=1, matter=rng.choice(PROJECTS), notes="" if i % 5 else rng.choice(KINDS),
                secrecy="secret" if i % 50 == 0 else "",
            ))  # fmt: skip
        made = RecordItem.objects.bulk_create(rows)
        pages = [ScanPage(item=it, number=1, text=_ocr(rng)) for it in made if it.pk % 3 == 0]
        ScanPage.objects.bulk_create(pages)
        print(f"  生成 {start + len(rows)} / {items}", file=sys.stderr, end="\r")
    print(f"\n  生成用时 {time.perf_counter() - started:.0f} 秒", file=sys.stderr)
    return User.objects.get(pk=reader.pk), []


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(reader: object) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds of each query through the page, the selector and the raw engine query."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fupin.search.backends import raw_search
    from fupin.search.selectors import COUNT_CAP, search
    from fupin.search.text import parse_query

    setup_test_environment()
    client = Client()
    client.force_login(reader)

    def page(query: str) -> None:
        assert client.get("/search/", {"q": query}).status_code == 200

    paths: list[tuple[Callable[[str], object], list[float]]] = [
        (page, []),
        (lambda query: search(reader, query), []),
        (lambda query: raw_search(parse_query(query), COUNT_CAP + 1, 20), []),
    ]
    for _ in range(ROUNDS):
        for n, query in enumerate(QUERIES):
            # The path that runs first reads the documents from disk for the others: rotate.
            for run_path, times in paths[n % 3 :] + paths[: n % 3]:
                start = time.perf_counter()
                run_path(query)
                times.append((time.perf_counter() - start) * 1000)
    page_ms, selector_ms, raw_ms = (times for _, times in paths)
    return page_ms, selector_ms, raw_ms


def kept_corpus(items: int) -> object | None:
    """The reader of a corpus an earlier run left in a kept database (FUPIN_BENCH_KEEP_DB)."""
    from fupin.accounts.models import User
    from fupin.records.models import RecordItem

    reader = User.objects.filter(username="bench_county").first()
    if reader is None:
        return None
    if (found := RecordItem.objects.count()) != items:
        sys.exit(f"保留的数据库中有 {found} 件文件，不是 {items} 件：请换一个目录")
    return reader


def index_current(items: int) -> bool:
    from fupin.search.models import SearchDoc
    from fupin.search.services import search_backlog

    return search_backlog() == 0 and SearchDoc.objects.count() == items


def run(items: int | None = None) -> list[Figure]:
    from fupin.search.backends import index_bytes, raw_search
    from fupin.search.selectors import COUNT_CAP
    from fupin.search.services import search_rebuild
    from fupin.search.text import parse_query

    items = items or int(os.environ.get("FUPIN_BENCH_SEARCH_ITEMS", DEFAULT_ITEMS))
    reader = kept_corpus(items)
    if reader is None:
        reader, _ = generate(items)
    done = None if index_current(items) else search_rebuild(actor=None)
    size = index_bytes()
    page_ms, selector_ms, raw_ms = measure(reader)
    p50, p95 = percentile(page_ms, 0.5), percentile(page_ms, 0.95)
    s50, s95 = percentile(selector_ms, 0.5), percentile(selector_ms, 0.95)
    r50, r95 = percentile(raw_ms, 0.5), percentile(raw_ms, 0.95)
    for query in QUERIES:
        count, _ = raw_search(parse_query(query), COUNT_CAP + 1, 1)
        shown = f"超过 {COUNT_CAP}" if count > COUNT_CAP else str(count)
        slowest = max(page_ms[QUERIES.index(query) :: len(QUERIES)])
        print(f"  {query}: {shown} 条，页面最慢 {slowest:.0f} ms", file=sys.stderr)
    figures = [
        Figure(BENCH, f"语料（文件 {items}，三分之一有识别文本）", items, "条"),
        Figure(BENCH, "检索页 p50（20 个查询）", p50, "ms", baseline=r50),
        Figure(BENCH, "检索页 p95（20 个查询）", p95, "ms", baseline=r95, target="< 100，比值 ≤ 2"),
        Figure(BENCH, "检索函数 p50（页面/API/命令行共用）", s50, "ms", baseline=r50),
        Figure(BENCH, "检索函数 p95（页面/API/命令行共用）", s95, "ms", baseline=r95),
        Figure(BENCH, "原始全文查询 p50", r50, "ms"),
        Figure(BENCH, "原始全文查询 p95", r95, "ms"),
        Figure(BENCH, "索引大小", size / 1024 / 1024, "MiB"),
    ]
    if done is not None:
        figures.append(Figure(BENCH, "建索引速度", done["documents"] / done["seconds"], "条/秒"))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description="全文检索基准测试")
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS)
    args = parser.parse_args()
    from bench.runner import prepare_database

    prepare_database()
    for figure in run(args.items):
        print(figure.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
