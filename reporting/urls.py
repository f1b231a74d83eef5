from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("providers/<str:code>/", views.provider_detail, name="provider_detail"),
    path("providers/<str:code>/highlight/", views.highlight_latest, name="highlight_latest"),
    path("providers/<str:code>/highlight/<str:period>/", views.highlight_report, name="highlight_report"),
    path("providers/<str:code>/highlight/<str:period>/edit/", views.highlight_edit, name="highlight_edit"),
    path("packs/", views.pack_archive, name="pack_archive"),
    path("packs/new/", views.pack_request, name="pack_request"),
    path("packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/status/", views.pack_status, name="pack_status"),
    path("packs/<int:pk>/pdf/", views.pack_download, {"file_format": "pdf"}, name="pack_pdf"),
    path("packs/<int:pk>/xlsx/", views.pack_download, {"file_format": "xlsx"}, name="pack_xlsx"),
]
