"""A harvester (Sickle) takes the open records from a running server (`fupin serve`, on an
installation of its own): every opened record, by set, nothing controlled."""

import time
import urllib.request

from sickle import Sickle

from tests.disposal_live import stop

PORT = 8181


def test_sickle_harvests_the_opened_records(live_template, tmp_path):
    site = live_template.copy(tmp_path / "site")
    seeded = site.helper("seed-open")
    server = site.start("-m", "fupin.cli", "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "1")
    base = f"http://127.0.0.1:{PORT}/public/oai"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}?verb=Identify", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        sickle = Sickle(base)
        assert sickle.Identify().repositoryName == "精准扶贫档案开放目录"
        records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
        codes = sorted(r.metadata["identifier"][0] for r in records)
        assert codes == sorted(seeded["opened"])
        assert seeded["controlled"] not in codes
        sets = [s.setSpec for s in sickle.ListSets()]
        fonds = seeded["opened"][0].split("-")[0]
        assert fonds in sets and f"{fonds}:2016" in sets
        by_year = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set=f"{fonds}:2016"))
        assert len(by_year) == len(seeded["opened"])
    finally:
        stop(server)
