"""The home page's URL, outside the reporting namespace so that {% url 'home' %} names it."""

from django.urls import path

from . import home_views

urlpatterns = [path("", home_views.home, name="home")]
