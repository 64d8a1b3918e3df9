"""Background jobs, worked off by `manage.py db_worker --backend background` (immediate in tests)."""

from django_tasks import task


@task(backend="background")
def register_import_process(import_id: int) -> None:
    """Validate and write one uploaded unit register (home.services.register_import)."""
    from home.services.register_import import register_import_run

    register_import_run(import_id)
