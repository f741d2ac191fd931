"""The settings module reads its environment as documented: each case runs in a fresh interpreter."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the settings module reads, cleared so the developer's own shell cannot leak in, and
# the browser tests' async-safety opt-out, which check --deploy rightly rejects.
SETTINGS_ENV = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "DJANGO_SETTINGS_MODULE",
}


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
    }
    env.update(overrides)
    return env


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {name: value for name, value in os.environ.items() if name not in SETTINGS_ENV}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "programme.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def database_setting(**env: str) -> list[str]:
    result = run_python(
        "from programme import settings; db = settings.DATABASES['default']; print(db['ENGINE']); print(db['NAME'])",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_database_url_selects_postgresql():
    engine, name = database_setting(DATABASE_URL="postgres://pairwise@db.example.org:5432/pairwise")

    assert engine == "django.db.backends.postgresql"
    assert name == "pairwise"


def test_without_database_url_the_local_sqlite_file_is_used():
    engine, name = database_setting()

    assert engine == "django.db.backends.sqlite3"
    assert name == str(PROJECT_DIR / "db.sqlite3")


def test_debug_off_without_secret_key_refuses_to_start():
    env = production_env()
    del env["SECRET_KEY"]

    result = run_python("import programme.settings", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_serves_compressed_hashed_static_files_and_sends_real_email():
    result = run_python(
        "from programme import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); print(s.MAILERS['default']['BACKEND'])",
        **production_env(),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_check_deploy_with_production_env_reports_no_issues(tmp_path, database):
    if database == "postgresql":
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith("postgres"):
            pytest.skip("runs when DATABASE_URL points at PostgreSQL")
    else:
        database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    result = run_python(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **production_env(DATABASE_URL=database_url),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def test_production_mail_gives_up_on_a_silent_server_and_tasks_run_in_the_database_worker():
    result = run_python(
        "from programme import settings as s; "
        "print(s.MAILERS['default']['OPTIONS']['timeout']); print(s.TASKS['default']['BACKEND'])",
        **production_env(),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["30", "django_tasks_db.DatabaseBackend"]


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
