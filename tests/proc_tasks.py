"""A task for the tests that run a real `fupin worker` process: the first run takes long
(long enough to be killed), any later run returns at once."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_once(marker: str) -> str:
    path = Path(marker)
    if path.exists():
        return "done"
    path.write_text("started")
    time.sleep(300)
    return "slept"
