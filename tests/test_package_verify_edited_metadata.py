"""An edited METS or manifest is refused: by the tag manifest, and when that was rewritten too,
by METS against the manifests or by the package digest recorded at transfer."""

from fupin.checks.package.verify import package_digest, package_verify
from tests.checks_fixtures import built_bag, reseal


def test_an_edited_mets_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    mets = bag / "metadata" / "mets.xml"
    mets.write_text(mets.read_text("utf-8").replace("扶贫工作总结", "扶贫工作汇报"), "utf-8")
    messages = [p.message for p in package_verify(bag).problems]
    assert messages == [
        "“metadata/mets.xml”的 SHA-256 摘要与 tagmanifest-sha256.txt 不符（已被改动）",
        "“metadata/mets.xml”的 SM3 摘要与 tagmanifest-sm3.txt 不符（已被改动）",
    ]


def test_a_mets_rewritten_with_its_tag_manifests_still_disagrees_with_the_manifests(
    world, tmp_path
):
    items, bag = built_bag(world, tmp_path)
    mets = bag / "metadata" / "mets.xml"
    sha = items[0].files.get().object.sha256
    mets.write_text(
        mets.read_text("utf-8").replace(f'CHECKSUM="{sha}"', f'CHECKSUM="{"0" * 64}"'), "utf-8"
    )
    reseal(bag)
    messages = [p.message for p in package_verify(bag).problems]
    assert len(messages) == 1 and messages[0].endswith("的摘要或大小与清单不符")


def test_an_edited_manifest_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    manifest = bag / "manifest-sha256.txt"
    lines = manifest.read_text("utf-8").splitlines()
    lines[0] = "f" * 64 + lines[0][64:]
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    messages = [p.message for p in package_verify(bag).problems]
    assert (
        "“manifest-sha256.txt”的 SHA-256 摘要与 tagmanifest-sha256.txt 不符（已被改动）" in messages
    )


def test_a_package_rewritten_throughout_is_caught_by_its_recorded_digest(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    recorded = package_digest(bag)
    info = bag / "bag-info.txt"
    info.write_text(info.read_text("utf-8").replace("东岭村委会", "西岭村委会"), "utf-8")
    reseal(bag)
    assert package_verify(bag).ok  # consistent in itself…
    report = package_verify(bag, expected_digest=recorded)
    assert [p.message for p in report.problems] == ["数据包摘要与移交时登记的不符（清单已被改动）"]


def test_a_mets_carrying_entity_declarations_is_refused(world, tmp_path):
    _, bag = built_bag(world, tmp_path)
    mets = bag / "metadata" / "mets.xml"
    text = mets.read_text("utf-8")
    bomb = '<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
    mets.write_text(text.replace("?>\n", "?>\n" + bomb, 1), "utf-8")
    reseal(bag)
    messages = [p.message for p in package_verify(bag).problems]
    assert messages == ["metadata/mets.xml 含 DOCTYPE/实体声明，不接收"]
