"""A METS that is not well-formed XML is refused in Chinese, saying where (line and column) and
what is wrong, with none of expat's English."""

import re

from fupin.checks.package.verify import package_verify
from tests.checks_fixtures import built_bag, reseal


def test_a_mets_with_mismatched_tags_is_refused_in_chinese_with_line_and_column(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    mets = bag / "metadata" / "mets.xml"
    lines = mets.read_text("utf-8").splitlines(keepends=True)
    lines[2] = "  <mets:metsHdr></mets:agent>\n"
    mets.write_text("".join(lines), "utf-8")
    reseal(bag)
    messages = [p.message for p in package_verify(bag).problems]
    assert messages == ["metadata/mets.xml 不是格式正确的 XML：第 3 行第 19 列起止标签不匹配"]
    assert not re.search(r"[A-Za-z]{4,}", messages[0].replace("metadata/mets.xml", ""))
