"""Background tasks of the households app, run by `fupin worker`."""

from django_tasks import task


@task()
def households_import_job(token: str, stage: str) -> str:
    """Preview or apply one uploaded registration sheet (see import_jobs)."""
    from fupin.households.registry.import_jobs import import_run

    import_run(token, stage)
    return stage
