"""A filing set-up shared by the records tests: schedule loaded, fonds configured, classes."""

from datetime import date

from fupin.records.services import class_code_add, fonds_configure, item_create
from fupin.schedule.selectors import base_version, rows_in_force
from fupin.schedule.services import schedule_load_annex


def set_up_fonds(unit, facet="department", classes=(("BGS", "办公室"), ("YWK", "业务科"))):
    schedule_load_annex(actor=None)
    fonds_configure(
        actor=None,
        unit_id=unit.pk,
        facet=facet,
        code_template="{全宗号}-{门类}·{年度}-{保管期限}-{机构问题}-{件号}",
    )
    return {
        code: class_code_add(actor=None, unit_id=unit.pk, code=code, name=name)
        for code, name in classes
    }


def row(level: str, category: str, number: str):
    return next(
        r
        for r in rows_in_force(base_version())
        if (r.level, r.get_category_display(), r.number) == (level, category, number)
    )


def file_item(
    unit,
    klass,
    *,
    title="关于成立精准扶贫工作领导小组的通知",
    day=date(2016, 3, 1),
    retention="Y",
    level="county",
    number="1",
    category="WS",
    **extra,
):
    label = {"WS": "文书", "KJ": "科技", "ZY": "专业"}[category]
    return item_create(
        actor=None,
        unit_id=unit.pk,
        category=category,
        schedule_row_id=row(level, label, number).pk,
        retention=retention,
        class_code_id=klass.pk,
        title=title,
        responsible=unit.name,
        date=day,
        pages=2,
        **extra,
    )
