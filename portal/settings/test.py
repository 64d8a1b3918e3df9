"""Settings for the test suite. DATABASE_URL / REDIS_URL switch it to the real services."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-5b9a"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "portal.accounts.sms.LocmemSMSBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# The daphne that the server tests start serves the assets straight from static/, without collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(tempfile.gettempdir()) / "portal-test-media"  # noqa: F405  (each test gets tmp_path)
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
