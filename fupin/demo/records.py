"""A year of filed records for the demo: the county poverty office and one village committee."""

import datetime
from typing import Any

from fupin.records.models import FondsSettings, RecordItem
from fupin.records.services import (
    UNIT_SCHEDULE_LEVEL,
    class_code_add,
    fonds_configure,
    item_create,
    items_arrange,
    items_box,
    items_lock,
)
from fupin.regions.models import Unit
from fupin.schedule.selectors import rows_in_force, version_in_force

# (schedule row number, class code, retention, title, document number, month, day, pages)
OFFICE_ITEMS = [
    ("1", "BGS", "Y", "关于成立县扶贫攻坚领导小组的通知", "郧办发〔2016〕3号", 1, 12, 4),
    ("1", "BGS", "Y", "县精准扶贫精准脱贫工作实施方案", "郧发〔2016〕5号", 2, 20, 18),
    ("2", "BGS", "Y", "关于印发《贫困户建档立卡工作细则》的通知", "郧扶贫发〔2016〕8号", 3, 3, 9),
    ("4", "YWK", "Y", "2016年第一季度精准扶贫工作情况报告", "郧扶贫文〔2016〕15号", 4, 6, 6),
    ("5", "BGS", "Y", "全县精准扶贫推进会会议纪要", "", 4, 18, 5),
    ("6", "BGS", "Y", "省扶贫办关于做好全省精准扶贫档案工作的意见", "鄂档〔2016〕25号", 3, 18, 8),
    ("8", "BGS", "Y", "2016年度精准脱贫目标责任书", "", 5, 9, 3),
    ("9", "YWK", "Y", "2016年贫困人口动态调整公告", "", 6, 30, 12),
    ("12", "YWK", "Y", "贫困村出列验收工作方案", "郧扶贫发〔2016〕21号", 8, 2, 7),
    ("13", "YWK", "Y", "贫困户建档立卡信息采集工作总结", "", 9, 15, 10),
    ("15", "YWK", "Y", "2016年秋季雨露计划补助资金发放方案", "郧扶贫发〔2016〕30号", 10, 8, 6),
    ("20", "YWK", "Y", "关于下达2016年财政专项扶贫资金的通知", "郧财农发〔2016〕44号", 5, 20, 4),
    ("49", "BGS", "D30", "精准扶贫宣传培训班简报", "", 7, 1, 2),
    ("49", "BGS", "D10", "扶贫办机关值班安排表", "", 9, 26, 1),
]
VILLAGE_ITEMS = [
    ("1", "ZH", "Y", "村扶贫工作总体规划（2016—2018年）", "", 3, 10, 12),
    ("2", "ZH", "Y", "关于派驻第一书记的通知", "郧组文〔2016〕7号", 2, 28, 2),
    ("5", "FP", "Y", "贫困户识别村民代表大会民主评议记录", "", 4, 21, 6),
    ("5", "FP", "Y", "贫困户识别结果第一次公示", "", 4, 25, 2),
    ("6", "FP", "Y", "精准识别后贫困户花名册", "", 5, 10, 9),
    ("15", "ZH", "D10", "村两委扶贫工作例会签到表", "", 6, 3, 1),
]


def _file(actor: Any, unit: Unit, classes: dict, spec: tuple, year: int) -> RecordItem:
    number, klass, retention, title, doc_number, month, day, pages = spec
    level = UNIT_SCHEDULE_LEVEL[unit.region.level]
    row = next(
        r
        for r in rows_in_force(version_in_force(unit=unit))
        if (r.level, r.category, r.number) == (level, "documents", number)
    )
    return item_create(
        actor=actor,
        unit_id=unit.pk,
        category="WS",
        schedule_row_id=row.pk,
        retention=retention,
        class_code_id=classes[klass].pk,
        title=title,
        doc_number=doc_number,
        responsible=unit.name,
        date=datetime.date(year, month, day),
        pages=pages,
    )


def load_fonds(
    actor: Any, unit: Unit, facet: str, classes: list[tuple[str, str]], items: list[tuple]
) -> int:
    """Configure a fonds, file its 2016 items, number them, archive and box the first half."""
    if FondsSettings.objects.filter(unit=unit).exists():
        return 0
    fonds_configure(
        actor=actor,
        unit_id=unit.pk,
        facet=facet,
        code_template="{全宗号}-{门类}·{年度}-{保管期限}-{机构问题}-{件号}",
    )
    made = {
        code: class_code_add(actor=actor, unit_id=unit.pk, code=code, name=name)
        for code, name in classes
    }
    filed = [_file(actor, unit, made, spec, 2016) for spec in items]
    items_arrange(actor=actor, unit_id=unit.pk, year=2016)
    first_half = filed[: len(filed) // 2]
    items_lock(actor=actor, unit_id=unit.pk, item_ids=[i.pk for i in first_half])
    for item in first_half:
        item.refresh_from_db()
    by_box: dict[tuple, list[int]] = {}
    for item in first_half:
        by_box.setdefault((item.retention, item.class_code_id), []).append(item.pk)
    for ids in by_box.values():
        items_box(actor=actor, unit_id=unit.pk, item_ids=ids)
    return len(filed)


def load_demo_records(actor: Any, office: Unit, committee: Unit) -> int:
    office_count = load_fonds(
        actor, office, "department", [("BGS", "办公室"), ("YWK", "业务股")], OFFICE_ITEMS
    )
    village_count = load_fonds(
        actor, committee, "subject", [("ZH", "综合管理"), ("FP", "精准识别")], VILLAGE_ITEMS
    )
    return office_count + village_count
