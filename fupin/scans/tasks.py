"""Background tasks, run by `fupin worker` (django-tasks' database backend)."""

from django_tasks import task


@task()
def ocr_job(job_id: int) -> str:
    """Read the pages of one ScanJob; retries are queued by the job itself, bounded."""
    from fupin.scans.services import scan_ocr_run

    job = scan_ocr_run(job_id=job_id)
    return job.status if job else "skipped"


@task()
def ocr_watch(job_id: int, attempt: int) -> str:
    """Look at a running job later: queued again if the worker running it has stopped."""
    from fupin.scans.services import scan_job_watch

    return scan_job_watch(job_id=job_id, attempt=attempt)
