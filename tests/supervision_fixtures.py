"""Archive data of the test world, small enough to count by hand (no tests of its own).

Counted by hand (every stock figure; the households were all imported this quarter):

| place | own units | items (locked) | boxes | volumes | photos | scan pages (items) | households |
| 东岭村 420322100201 | 东岭村委会 | 4 (2) | 1 | 0 | 1 | 3 (2) | 2 |
| 西岭村 420322100202 | 西岭村委会 | 1 (0) | 0 | 1 | 0 | 0 | 1 |
| 城关镇 420322100 | 城关镇人民政府 | 2 (0) | 0 | 0 | 0 | 0 | — |
| 土门镇 420322101 | 土门镇人民政府 | 0 | 0 | 0 | 0 | 0 | — |
| 郧西县 420322 | 扶贫办, 工作队 | 1 (0) | 0 | 0 | 0 | 0 | — |

东岭村委会 also has one open rectification order, past its deadline, and one walk-in (查档登记)
this quarter for which it issued one certified copy (档案证明). The archive bureau paid one
guidance visit (指导服务) this quarter to 东岭村 and one to 城关镇人民政府.
"""

import datetime
import io

from fupin.disposal.services import certificate_issue, walkin_register
from fupin.households.registry.services import households_import
from fupin.photos.services import photo_capture, photo_group_create
from fupin.records.services import items_arrange, items_box, items_lock
from fupin.records.volumes import volume_create
from fupin.scans.models import ScanPage
from fupin.supervision.inspections.guidance import guidance_record
from fupin.supervision.inspections.services import order_open
from fupin.supervision.reports.quarters import Quarter
from tests import objects_samples
from tests.households_samples import household, write_sheet
from tests.records_fixtures import file_item, set_up_fonds

THIS_QUARTER = str(Quarter.of(datetime.date.today()))

VILLAGE_A = {
    "units": 1, "units_filed": 1, "households": 2, "items": 4, "items_locked": 2,
    "volumes": 0, "boxes": 1, "photos": 1, "audio_video": 0, "scanned_pages": 3,
    "items_scanned": 2, "newly_identified": 0, "returned": 0, "exited": 0, "removed": 0,
    "orders_open": 1, "orders_closed": 0, "households_with_file": 0, "households_complete": 0,
    "lookups_granted": 0, "lookups_lent": 0,
    # storage (custody): the one box stands on no shelf
    "rooms": 0, "boxes_shelved": 0, "boxes_unshelved": 1, "readings_out": 0, "inventory_checks": 0,
    # appraisal and destruction (disposal): nothing expired in the fixture
    "records_expired": 0, "records_destroyed": 0,
    # villagers' own use (disposal): one walk-in at 东岭村, with a certified copy
    "lookups_walkin": 1, "lookups_certificates": 1,
    # keeping electronic files (objects): every copy intact
    "files_fixity_failed": 0,
    # transfer to the archives (transfer): no campaign end set in the fixture, nothing moved
    "units_due": 0, "units_transferred": 0, "units_overdue": 0, "items_transferred": 0,
    "volumes_transferred": 0, "bytes_transferred": 0,
    # guidance visits (supervision): one to the village this quarter
    "guidance_visits": 1,
}  # fmt: skip
VILLAGE_B = {"units": 1, "households": 1, "items": 1, "volumes": 1}
TOWNSHIP_A_OWN = {"units": 1, "items": 2, "guidance_visits": 1}
TOWNSHIP_B_OWN = {"units": 1}
COUNTY_OWN = {"units": 2, "items": 1}


def expected(*parts: dict[str, int]) -> dict[str, int]:
    total = dict.fromkeys(VILLAGE_A, 0)
    for part in parts:
        for key, value in part.items():
            total[key] += value
    return total


def fill(world, folder) -> None:
    a, b = world.units["committee_a"], world.units["committee_b"]
    classes = set_up_fonds(a)
    items = [
        file_item(a, classes["BGS"], level="village", title=f"东岭村扶贫文件{n}") for n in (1, 2, 3)
    ]
    items_arrange(actor=None, unit_id=a.pk, year=2016)
    items_lock(actor=None, unit_id=a.pk, item_ids=[items[0].pk, items[1].pk])
    items_box(actor=None, unit_id=a.pk, item_ids=[items[0].pk])
    # The scans app has no writing service yet (OCR fills it later): pages are rows.
    ScanPage.objects.bulk_create(
        [ScanPage(item=items[0], number=1), ScanPage(item=items[0], number=2),
         ScanPage(item=items[1], number=1)]
    )  # fmt: skip
    group = photo_group_create(actor=None, unit_id=a.pk, year=2016, retention="Y", title="走访")
    photo_capture(
        actor=None,
        group_id=group.pk,
        stream=io.BytesIO(
            objects_samples.image(exif=objects_samples.photo_exif("2016:05:01 09:30:00"))
        ),
        filename="1.jpg",
    )
    b_classes = set_up_fonds(b)
    project = file_item(b, b_classes["YWK"], level="village", title="项目文件", category="ZY")
    volume_create(
        actor=None, unit_id=b.pk, category="ZY", year=2016, retention="Y",
        project="项目", title="项目案卷", item_ids=[project.pk],
    )  # fmt: skip
    town = world.units["town_a"]
    t_classes = set_up_fonds(town)
    for n in (1, 2):
        file_item(town, t_classes["BGS"], level="township", title=f"城关镇文件{n}")
    office = world.units["office_a"]
    file_item(office, set_up_fonds(office)["BGS"], level="county", title="郧西县扶贫办文件")
    rows = household("420322100201", 1) + household("420322100201", 2)
    rows += household("420322100202", 3)
    report = households_import(actor=None, path=write_sheet(folder / "hh.xlsx", rows))
    assert report.ok, report
    order_open(
        actor=None, unit_id=a.pk, requirement="补齐档案柜", deadline=datetime.date(2016, 1, 31)
    )
    walk_in = walkin_register(
        actor=None, unit_id=a.pk, visitor_name="王建国", id_number="420322********0011",
        purpose="办理助学贷款", consulted="东岭村扶贫文件1", copies=2,
    )  # fmt: skip
    certificate_issue(
        actor=None, unit_id=a.pk, kind="copy", item_id=items[0].pk, walk_in_id=walk_in.pk
    )
    today = datetime.date.today()
    guidance_record(
        actor=None, visited_on=today, village_code="420322100201", topics="一户一档整理",
        guides="周丽",
    )  # fmt: skip
    guidance_record(actor=None, visited_on=today, unit_id=town.pk, topics="归档范围", guides="周丽")
