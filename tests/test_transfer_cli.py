"""`fupin transfer plan|build|list --json`: the operator plans and builds a batch from the
command line; refusals are Chinese with exit code 2 and change nothing (issue 17)."""

import json

from fupin.cli import main
from fupin.transfer.models import Batch
from tests.transfer_fixtures import ready_fonds


def test_plan_build_and_list_from_the_command_line(world, capsys):
    ready = ready_fonds(world)
    capsys.readouterr()
    assert main(["transfer", "plan", "--unit", str(ready.unit.pk), "--years", "2018",
                 "--json"]) == 0  # fmt: skip
    planned = json.loads(capsys.readouterr().out)["batch"]
    blocked = [r for r in planned["records"] if r["blockers"]]
    assert [r["id"] for r in blocked] == [ready.draft.pk], [r["blockers"] for r in blocked]
    assert main(["transfer", "build", planned["number"], "--json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["ok"] is False and "错误：" in err and "尚未归档" in err
    assert Batch.objects.get().status == "planned"
    Batch.objects.get().items.filter(item=ready.draft).delete()
    assert main(["transfer", "build", str(planned["id"]), "--json"]) == 0
    built = json.loads(capsys.readouterr().out)["batch"]
    assert built["status"] == "built" and built["package_bytes"] > 0
    assert main(["transfer", "list", "--status", "built", "--json"]) == 0
    assert [b["number"] for b in json.loads(capsys.readouterr().out)["batches"]] == [
        planned["number"]
    ]
    assert main(["transfer", "plan", "--unit", str(ready.unit.pk), "--years", "20x8"]) == 2
    assert "年度“20x8”的格式不对" in capsys.readouterr().err
    assert main(["transfer", "build", "YJ-无此批次"]) == 2
    assert "找不到移交批次" in capsys.readouterr().err
