"""The Celery app. Tasks live in each app's tasks.py and call one service each."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assurance.settings")

app = Celery("assurance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
