"""The site's URLs plus the benchmark's trivial view (the floor for pages), for `manage.py bench` only."""

from django.urls import path

from assurance.urls import urlpatterns as site

from .bench import TRIVIAL_PATH, trivial

urlpatterns = [path(TRIVIAL_PATH.strip("/") + "/", trivial), *site]
