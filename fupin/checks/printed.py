"""A run's report as the printed 四性检测报告."""

from django.utils import timezone

from fupin.checks.models import CheckRun
from fupin.checks.selectors import run_results
from fupin.printing.checks import CheckLine, CheckReport, check_report_pdf
from fupin.printing.pdf import chinese_date


def run_report(run: CheckRun) -> CheckReport:
    started = timezone.localtime(run.started_at)
    fields = [
        ("检测环节", run.get_stage_display()),
        ("检测范围", run.scope_label or "—"),
        ("检测对象", f"{run.records} 件文件，{run.files} 个电子文件，共 {run.bytes} 字节"),
        ("检测时间", f"{chinese_date(started.date())} {started:%H:%M}"),
        ("检测人", run.actor_name or "—"),
        ("摘要算法", "SHA-256、SM3（GB/T 32905）"),
        ("结论", "全部通过" if run.passed else "不通过（见下表）"),
    ]
    if run.package:
        fields.insert(2, ("数据包", run.package))
    lines = [
        CheckLine(
            property=r.check_def.get_property_display(),
            title=r.check_def.title,
            description=r.check_def.description,
            checked=r.checked,
            outcome=r.get_outcome_display() + (f"（{r.note}）" if r.note else ""),
            failures=[(f["record"], f["reason"]) for f in r.failures],
        )
        for r in run_results(run)
    ]
    return CheckReport(
        title=f"{run.get_stage_display()}环节四性检测报告", fields=fields, lines=lines
    )


def run_pdf(run: CheckRun) -> bytes:
    return check_report_pdf(run_report(run))
