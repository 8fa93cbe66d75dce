"""The next year's registration sheet from this year's: the dynamic changes the registry records
(脱贫, 返贫, 清退, 新识别, members added and removed, income changed) at plausible rates, so a
re-import can be tried on data that moves like the real thing.

The tally counts what an import of the new sheet over the old one records, entry by entry and
under the same names: a 脱贫 that also raises the income is one 脱贫 and one 属性变更; a
member added changes 人数 too; a village left without any household is not covered by the
sheet, so its households are not 清退."""

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from random import Random

from fupin.demo.generate import (
    HOUSEHOLD_NO,
    ID,
    NAME,
    PLACE,
    REFERENCE_YEAR,
    IdAllocator,
    household_rows,
    person_name,
)
from fupin.households.registry import sheet

# Of the households in each state, the share that changes in a year.
EXIT_RATE = 0.12
RETURN_RATE = 0.04
REMOVE_RATE = 0.02
MEMBER_ADDED_RATE = 0.03
MEMBER_REMOVED_RATE = 0.03
INCOME_RATE = 0.2
NEW_RATE = 0.03

EXIT = sheet.INDEX["exit_status"]
SIZE = sheet.INDEX["size"]
RELATION = sheet.INDEX["relation"]
INCOME = sheet.INDEX["income_per_capita"]
PERSON_NO = sheet.INDEX["person_no"]
PHONE = sheet.INDEX["phone"]
IDENTIFIED = sheet.INDEX["identified_year"]


def _village(household_no: str) -> str:
    return household_no[:12]


def evolve(
    rows: Iterable[list[str]], seed: int, ids: IdAllocator, counts: Counter
) -> Iterator[list[str]]:
    """This year's rows (households in order, head first) → next year's; `counts` tallies."""
    rng = Random(f"{seed}:next-year")
    by_village = groupby(groupby(rows, key=lambda r: r[HOUSEHOLD_NO]), key=lambda g: _village(g[0]))
    for _village_code, households in by_village:
        last: list[list[str]] = []
        seen = removed = kept = 0
        for _number, members in households:
            last, seen = list(members), seen + 1
            if rng.random() < REMOVE_RATE:
                removed += 1
                continue
            kept += 1
            old = [list(row) for row in last]
            changed = _changed(rng, ids, last, counts)
            _tally(old, changed, counts)
            yield from changed
        for row in _new_households(rng, ids, last, seen, counts):
            kept += 1
            yield row
        if kept and removed:
            counts["清退"] += removed


def _changed(
    rng: Random, ids: IdAllocator, members: list[list[str]], counts: Counter
) -> list[list[str]]:
    status = members[0][EXIT]
    if status != "已脱贫" and rng.random() < EXIT_RATE:
        _set_all(members, EXIT, "已脱贫")
        _set_all(members, INCOME, f"{rng.uniform(4200, 9000):.2f}")
    elif status == "已脱贫" and rng.random() < RETURN_RATE:
        _set_all(members, EXIT, "返贫")
    elif rng.random() < INCOME_RATE:
        income = float(members[0][INCOME] or 0) * rng.uniform(1.05, 1.3)
        _set_all(members, INCOME, f"{income:.2f}")
    if rng.random() < MEMBER_ADDED_RATE:
        members.append(_newborn(rng, ids, members))
    elif len(members) > 1 and rng.random() < MEMBER_REMOVED_RATE:
        members.pop(rng.randrange(1, len(members)))
    _set_all(members, SIZE, str(len(members)))
    return members


def _tally(old: list[list[str]], new: list[list[str]], counts: Counter) -> None:
    """The entries an import records for one household that stays: its status, the head
    row's 人数 and 人均纯收入 (the only household values the next year changes), members."""
    before, after = old[0][EXIT], new[0][EXIT]
    if after == "已脱贫" and before != "已脱贫":
        counts["脱贫"] += 1
    elif after == "返贫" and before == "已脱贫":
        counts["返贫"] += 1
    for column in (SIZE, INCOME):
        if _number(old[0][column]) != _number(new[0][column]):
            counts["属性变更"] += 1
    ids_before, ids_after = {r[ID] for r in old}, {r[ID] for r in new}
    counts["成员增加"] += len(ids_after - ids_before)
    counts["成员减少"] += len(ids_before - ids_after)
    for kind in [k for k, n in counts.items() if n == 0]:
        del counts[kind]


def _number(text: str) -> Decimal | None:
    return Decimal(text).quantize(Decimal("0.01")) if text else None


def _newborn(rng: Random, ids: IdAllocator, members: list[list[str]]) -> list[str]:
    head = members[0]
    male = rng.random() < 0.5
    born = date(date.today().year - 1, 1, 1) + timedelta(days=rng.randrange(365))
    row = list(head)
    last_no = max(int(m[PERSON_NO][-2:]) for m in members)
    row[PERSON_NO] = f"{head[HOUSEHOLD_NO]}{last_no + 1:02d}"
    row[NAME] = person_name(rng, male, born.year, head[NAME][0])
    row[ID] = ids.allocate(head[HOUSEHOLD_NO][:6], born, male)
    row[RELATION] = "之孙子" if male else "之孙女"
    row[PHONE] = ""
    return row


def _new_households(
    rng: Random, ids: IdAllocator, last: list[list[str]], seen: int, counts: Counter
) -> Iterator[list[str]]:
    """新识别 households at the end of the village, numbered after its last."""
    village = _village(last[0][HOUSEHOLD_NO])
    number = int(last[0][HOUSEHOLD_NO][12:])
    for _ in range(sum(rng.random() < NEW_RATE for _ in range(seen))):
        number += 1
        place = {f: last[0][sheet.INDEX[f]] for f in PLACE}
        place["household_no"] = f"{village}{number:05d}"
        made = household_rows(rng, ids, village[:6], place)
        _set_all(made, EXIT, "未脱贫")
        _set_all(made, IDENTIFIED, str(REFERENCE_YEAR + 1))  # identified in the new year
        counts["新识别"] += 1
        yield from made


def _set_all(members: list[list[str]], column: int, value: str) -> None:
    for row in members:
        row[column] = value
