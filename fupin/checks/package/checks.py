"""The package's own checks in the catalogue (transfer and receipt): run only when a run is
given a package; they read it through package_verify, which recomputes everything."""

from fupin.checks.package.verify import VerifyReport, package_verify
from fupin.checks.registry import CheckContext, Found, check, not_applicable

NO_PACKAGE = "本次检测没有数据包。"
FIXITY_CODES = {"package.digest", "package.mets"}


def _report(ctx: CheckContext) -> VerifyReport:
    cached = ctx.package_report
    if cached is None:
        assert ctx.package is not None
        cached = package_verify(ctx.package)
        ctx.package_report = cached
        cached.cleanup()
    return cached


@check("package_fixity")
def package_fixity(ctx: CheckContext) -> Found:
    if ctx.package is None:
        return not_applicable(NO_PACKAGE)
    report = _report(ctx)
    found = Found(checked=max(report.files, 1))
    for problem in report.problems:
        if problem.code in FIXITY_CODES:
            found.fail(problem.field or ctx.package.name, problem.message)
    return found


@check("package_counts")
def package_counts(ctx: CheckContext) -> Found:
    """The package is complete and well-formed, and holds exactly the checked records' files:
    as many, as large, with the same digests."""
    if ctx.package is None:
        return not_applicable(NO_PACKAGE)
    report = _report(ctx)
    found = Found(checked=max(report.files, 1))
    for problem in report.problems:
        if problem.code not in FIXITY_CODES:
            found.fail(problem.field or ctx.package.name, problem.message)
    if ctx.items and report.ok:
        packed: dict[str, int] = {}
        for path, digests in report.digests.items():
            if path.startswith("data/records/") and not path.endswith("/metadata.json"):
                packed[digests.get("SHA-256", "")] = packed.get(digests.get("SHA-256", ""), 0) + 1
        expected: dict[str, int] = {}
        for _item, item_file in ctx.files():
            sha = item_file.object.sha256
            expected[sha] = expected.get(sha, 0) + 1
        if packed != expected:
            found.fail(
                ctx.package.name,
                f"数据包有 {sum(packed.values())} 个原始文件，所检文件登记了 "
                f"{sum(expected.values())} 个，内容不一一对应",
            )
    return found
