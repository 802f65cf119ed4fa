"""Production settings (issue 12 item 5): persistent database connections, compressed and
hashed static files, and gunicorn's settings file, each read the way production reads
them: a fresh process with production's environment."""

import json
import multiprocessing
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "a-production-secret-key-for-this-test-only-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "koersmonitor.example.nl",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/koersmonitor",
}
READ_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "conn_max_age": database["CONN_MAX_AGE"],
    "health_checks": database["CONN_HEALTH_CHECKS"],
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "middleware": settings.MIDDLEWARE,
}))
"""


def environment(**values) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "CONN_MAX_AGE", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
        # Set by tests/browser/conftest.py for Playwright in this process; never in production.
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    env.update(values)
    return env


def read_settings(**values) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=REPO,
        env=environment(**values),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_keeps_database_connections_and_checks_them():
    production = read_settings(**PRODUCTION)
    assert production["conn_max_age"] == 60
    assert production["health_checks"] is True


def test_conn_max_age_comes_from_the_environment():
    production = read_settings(**PRODUCTION, CONN_MAX_AGE="0")
    assert production["conn_max_age"] == 0
    assert production["health_checks"] is False
    assert read_settings(**PRODUCTION, CONN_MAX_AGE="300")["conn_max_age"] == 300


def test_development_opens_a_connection_per_request_and_needs_no_collectstatic():
    development = read_settings()
    assert development["conn_max_age"] == 0
    assert development["staticfiles"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in development["middleware"]


def test_production_serves_compressed_hashed_static_files_through_whitenoise():
    production = read_settings(**PRODUCTION)
    assert production["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production["middleware"][1] == "whitenoise.middleware.WhiteNoiseMiddleware"


def test_the_deployment_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment(**PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def gunicorn_settings(monkeypatch, **values) -> dict:
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_TIMEOUT",
        "GUNICORN_MAX_REQUESTS",
        "GUNICORN_MAX_REQUESTS_JITTER",
        "GUNICORN_PRELOAD",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(REPO / "zorg" / "gunicorn.conf.py"))


def test_gunicorn_defaults(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["wsgi_app"] == "zorg.wsgi:application"
    assert conf["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert conf["worker_class"] == "sync"
    assert conf["timeout"] == 30
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
    assert conf["preload_app"] is True
    assert "%(M)s" in conf["access_log_format"]


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("WEB_CONCURRENCY", "3", "workers", 3),
        ("GUNICORN_TIMEOUT", "60", "timeout", 60),
        ("GUNICORN_MAX_REQUESTS", "0", "max_requests", 0),
        ("GUNICORN_PRELOAD", "false", "preload_app", False),
        ("GUNICORN_THREADS", "4", "worker_class", "gthread"),
    ],
)
def test_gunicorn_settings_come_from_the_environment(
    monkeypatch, variable, value, setting, expected
):
    assert gunicorn_settings(monkeypatch, **{variable: value})[setting] == expected


def test_every_static_file_a_template_names_exists():
    """Production's manifest storage refuses a name it did not collect (the page fails
    with a 500), while the development storage and the tests would not notice."""
    from django.contrib.staticfiles import finders

    pattern = re.compile(r"""\{%\s*static\s+["']([^"']+)["']""")
    named = {
        (template.relative_to(REPO), name)
        for folder in [REPO / "templates", *REPO.glob("*/templates")]
        for template in folder.rglob("*.html")
        for name in pattern.findall(template.read_text(encoding="utf-8"))
    }
    assert named
    missing = sorted(f"{template}: {name}" for template, name in named if not finders.find(name))
    assert not missing
