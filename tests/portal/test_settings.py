"""Production settings: refuse to start without their secrets, and pass `check --deploy` without a warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What the suite's own environment may hold but a production environment would not, or sets itself.
NOT_INHERITED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "FIELD_ENCRYPTION_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _production_env(**overrides) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="gongzhi.example.cn,www.gongzhi.example.cn",
        FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(32),
        WAGTAILADMIN_BASE_URL="https://gongzhi.example.cn",
        PYTHONPATH=str(ROOT),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


SETUP = ["-c", "import django; django.setup()"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY 未设置"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS 未设置"),
        ("FIELD_ENCRYPTION_KEY", "FIELD_ENCRYPTION_KEY 未设置"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing, message):
    result = _run(SETUP, _production_env(**{missing: None}))
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_an_empty_secret_key():
    result = _run(SETUP, _production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


def test_production_starts_with_a_proper_environment():
    result = _run(SETUP, _production_env())
    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_without_any_warning():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_reads_hosts_and_admin_url_from_the_environment():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.WAGTAILADMIN_BASE_URL, s.SESSION_COOKIE_SECURE)"
    )
    result = _run(["-c", probe], _production_env(WAGTAILADMIN_BASE_URL=None))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['gongzhi.example.cn', 'www.gongzhi.example.cn'] "
        "['https://gongzhi.example.cn', 'https://www.gongzhi.example.cn'] https://gongzhi.example.cn True"
    )


def test_database_and_redis_urls_choose_the_scale_out_shape():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], "
        "s.CACHES['default']['BACKEND'])"
    )
    result = _run(
        ["-c", probe],
        _production_env(
            DATABASE_URL="postgres://portal@db.internal:5432/portal", REDIS_URL="redis://cache.internal:6379/0"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "channels_redis.core.RedisChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_without_urls_the_embedded_shape_is_sqlite_and_in_memory():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'])"
    )
    result = _run(["-c", probe], _production_env(DJANGO_SETTINGS_MODULE="portal.settings.dev", SECRET_KEY=None))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer"]
