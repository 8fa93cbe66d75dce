"""同步接收: a unit switched to synchronous receiving (by its archivist on the transfer page)
has its locked records offered to the county archives by the workers' daily beat — one
planned batch, locked records only, no early-transfer reason needed before the campaign's
end — and the next run offers nothing twice (issue 17)."""

import datetime

from fupin.transfer.models import Batch, SyncReceiving
from fupin.worker.beats import beats_registered
from tests.transfer_fixtures import ready_fonds


def _beat():
    return next(b for b in beats_registered() if b.name == "transfer.sync_offer")


def test_the_daily_beat_offers_a_synchronous_units_locked_records_once(world):
    ready = ready_fonds(world, ended=False)
    beat = _beat()
    assert beat.every == datetime.timedelta(days=1)
    beat.fn()
    assert not Batch.objects.exists()  # no unit receives synchronously yet

    clerk = world.client("village_a")
    switched = clerk.post(f"/transfer/units/{ready.unit.pk}/sync/", {"enabled": "1"}, follow=True)
    assert "已开启同步接收" in " ".join(str(m) for m in switched.context["messages"])
    assert SyncReceiving.objects.get(unit=ready.unit).archives == ready.archives
    assert (
        world.client("village_b")
        .post(f"/transfer/units/{ready.unit.pk}/sync/", {"enabled": "0"})
        .status_code
        == 404
    )

    beat.fn()
    batch = Batch.objects.get()
    assert batch.synchronous and batch.unit == ready.unit and batch.archives == ready.archives
    offered = set(batch.items.values_list("item_id", flat=True))
    assert offered == {i.pk for i in ready.locked}  # the draft in arrangement is not offered
    beat.fn()
    assert Batch.objects.count() == 1
