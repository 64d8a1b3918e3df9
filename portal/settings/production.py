"""Scale-out: PostgreSQL, Redis, S3-compatible media, everything from the environment.

Refuses to start without SECRET_KEY, ALLOWED_HOSTS and FIELD_ENCRYPTION_KEY; passes `manage.py check --deploy`
without warnings. Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, FIELD_ENCRYPTION_KEY, SECRET_KEY, os

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境必须通过环境变量提供 SECRET_KEY。")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS 未设置：请用逗号分隔列出站点域名。")
if not FIELD_ENCRYPTION_KEY:
    # Without its own key the ID numbers are encrypted with SECRET_KEY, and rotating SECRET_KEY would make
    # every stored ID number unreadable (DOMAIN-RULES D-04).
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY 未设置：生产环境必须为身份证号等敏感信息单独提供加密密钥。")

_public_hosts = [h.lstrip(".") for h in ALLOWED_HOSTS if h != "*"]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in _public_hosts]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or (
    f"https://{_public_hosts[0]}" if _public_hosts else "https://localhost"
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Wagtail's preview views set SAMEORIGIN for themselves; everything else may not be framed.
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
