"""Running modes: embedded default, PostgreSQL + Redis by environment, production checks."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
from assurance.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "backend": app.conf.result_backend,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""


def probe(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="assurance.settings")
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_with_no_environment_it_runs_on_sqlite_with_tasks_in_process():
    config = probe()
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"].endswith("var/db.sqlite3")
    assert config["eager"] is True
    assert config["debug"] is True


def test_database_url_and_redis_url_switch_to_postgresql_and_a_real_broker():
    config = probe(
        DATABASE_URL="postgres://assurance@db.internal:5432/assurance",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="assurance.example.nhs.wales",
    )
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "assurance"
    assert config["eager"] is False
    assert config["broker"] == config["backend"] == "redis://cache.internal:6379/0"
    assert config["hosts"] == ["assurance.example.nhs.wales"]


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7!kQ2#pL9$mN4^vB8&cR1*zT6(wY3)hJ5_fG0+dS2-aE7=uI9",
        ALLOWED_HOSTS="assurance.example.nhs.wales",
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    env["DEBUG"] = "0"
    proc = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "Set SECRET_KEY" in proc.stderr


def test_celery_beat_is_wired_with_a_schedule_setting():
    from assurance.celery import app

    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert app.main == "assurance"
