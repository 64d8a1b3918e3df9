"""Background jobs, worked off by `manage.py db_worker --backend background` (immediate in tests)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task(backend="background")
def register_import_process(import_id: int) -> None:
    """Validate and write one uploaded unit register (home.services.register_import).

    The error messages are stored as text, so they are worded in the site's language whatever the worker's.
    """
    from home.services.register_import import register_import_run

    with translation.override(settings.LANGUAGE_CODE):
        register_import_run(import_id)
