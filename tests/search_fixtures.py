"""A small corpus on both sides of the village line, for the search tests (no tests of its own).

Side a is 东岭村 (committee_a, village_a), side b 西岭村 (committee_b, village_b). Both sides hold
records that match the same queries, so a leak across the line shows in every count.
"""

from datetime import date

from fupin.demo.idnumbers import make_id
from fupin.households.models import Household, Person
from fupin.records.models import RecordItem
from fupin.records.services import item_create
from fupin.scans.models import ScanPage
from tests.conftest import World
from tests.records_fixtures import row, set_up_fonds

ITEMS = {
    # key: (unit, fields)
    "a_yulu": (
        "committee_a",
        {
            "title": "关于印发雨露计划实施方案的通知",
            "doc_number": "郧扶办发〔2016〕12号",
            "responsible": "郧西县扶贫开发办公室",
        },
    ),
    "a_ledger": (
        "committee_a",
        {
            "title": "东岭村精准扶贫工作台账",
            "matter": "产业扶贫",
            "notes": "含易地搬迁户名单",
        },
    ),
    "a_fullwidth": (
        "committee_a",
        {
            "title": "２０１６年度脱贫攻坚ＡＢＣ总结",
            "responsible": "东岭村民委员会",
        },
    ),
    "a_secret": (
        "committee_a",
        {
            "title": "关于东岭村危房改造资金的请示",
            "secrecy": "secret",
        },
    ),
    "a_scan": ("committee_a", {"title": "技能培训签到表"}),
    "a_markup": ("committee_a", {"title": "<b>东岭</b>公示栏照片说明"}),
    "b_yulu": (
        "committee_b",
        {
            "title": "关于发放雨露计划补助的通知",
            "doc_number": "郧扶办发〔2016〕13号",
        },
    ),
    "b_secret": ("committee_b", {"title": "西岭村危房改造资金请示", "secrecy": "secret"}),
    "b_scan": ("committee_b", {"title": "西岭村培训签到表"}),
}
# OCR text of scanned pages, by item key: written as the scans app would store it.
PAGES = {
    "a_scan": ["本村组织雨露計劃技能培訓，參加農戶三十戶。", "签到：张三丰、李四光"],
    "b_scan": ["西岭村技能培训，签到：张三丰"],
}
HOUSEHOLDS = {
    # key: (village, household number, [(name, relation), ...])
    "a_wang": ("420322100201", 1, [("王建国", "户主"), ("李秀兰", "配偶"), ("王小明", "之子")]),
    "a_zhou": ("420322100201", 2, [("周大福", "户主")]),
    "b_zhao": ("420322100202", 1, [("赵四海", "户主"), ("王建国", "之父")]),
}


def _household(village: str, number: int, members: list[tuple[str, str]]) -> Household:
    household_no = f"{village}{number:05d}"
    household = Household.objects.create(
        village_id=village,
        household_no=household_no,
        head_name=members[0][0],
        size=len(members),
        attribute="一般贫困户",
        main_cause="因病",
        natural_village="王家湾",
        identified_year=2014,
    )
    for i, (name, relation) in enumerate(members, start=1):
        seq = int(village[-1]) * 100 + number * 10 + i
        Person.objects.create(
            household=household,
            person_no=f"{household_no}{i:02d}",
            name=name,
            relation=relation,
            id_number=make_id(village[:6], date(1970 + i, 5, number), seq, seq % 2 == 1),
        )
    return household


def build_corpus(world: World) -> dict:
    """Create the corpus through the services (records) and the ORM (households, scan text)."""
    classes = {key: set_up_fonds(world.units[key])["BGS"] for key in ("committee_a", "committee_b")}
    made: dict = {}
    for key, (unit_key, fields) in ITEMS.items():
        unit = world.units[unit_key]
        made[key] = item_create(
            actor=None,
            unit_id=unit.pk,
            category="WS",
            schedule_row_id=row("village", "文书", "1").pk,
            retention="Y",
            class_code_id=classes[unit_key].pk,
            date=date(2016, 3, 1),
            pages=2,
            **({"responsible": unit.name} | fields),
        )
    for key, texts in PAGES.items():
        for number, text in enumerate(texts, start=1):
            ScanPage.objects.create(item=made[key], number=number, text=text)
    for key, (village, number, members) in HOUSEHOLDS.items():
        made[key] = _household(village, number, members)
    world.extra.update(made)
    return made


def key_of(made: dict, kind: str, object_id: int) -> str:
    model = RecordItem if kind == "item" else Household
    return next(k for k, v in made.items() if isinstance(v, model) and v.pk == object_id)


def more_items(world: World, unit_key: str, title: str, n: int) -> list[RecordItem]:
    """`n` more items titled `title` in that unit (after `build_corpus`, whose fonds it uses)."""
    unit = world.units[unit_key]
    klass = unit.class_codes.get(code="BGS")
    fields = {
        "category": "WS", "schedule_row_id": row("village", "文书", "1").pk, "retention": "Y",
        "class_code_id": klass.pk, "date": date(2018, 5, 1), "pages": 1, "responsible": unit.name,
    }  # fmt: skip
    return [
        item_create(actor=None, unit_id=unit.pk, title=f"{title}（{i}）", **fields)
        for i in range(n)
    ]
