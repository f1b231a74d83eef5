from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("providers/<str:code>/performance/", views.provider_performance, name="provider_performance"),
]
