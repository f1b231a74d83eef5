from django.urls import path

from . import finance_views, home_views, views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/reminders/", home_views.reminder_settings, name="reminder_settings"),
    path("providers/<str:code>/", views.provider_detail, name="provider_detail"),
    path("providers/<str:code>/highlight/", views.highlight_latest, name="highlight_latest"),
    path("providers/<str:code>/highlight/<str:period>/", views.highlight_report, name="highlight_report"),
    path("providers/<str:code>/highlight/<str:period>/edit/", views.highlight_edit, name="highlight_edit"),
    path("finance/", finance_views.financial_position_page, name="finance"),
    path("finance/csv/", finance_views.financial_position_download, {"file_format": "csv"}, name="finance_csv"),
    path("finance/xlsx/", finance_views.financial_position_download, {"file_format": "xlsx"}, name="finance_xlsx"),
    path("packs/", views.pack_archive, name="pack_archive"),
    path("packs/new/", views.pack_request, name="pack_request"),
    path("packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/status/", views.pack_status, name="pack_status"),
    path("packs/<int:pk>/pdf/", views.pack_download, {"file_format": "pdf"}, name="pack_pdf"),
    path("packs/<int:pk>/xlsx/", views.pack_download, {"file_format": "xlsx"}, name="pack_xlsx"),
    path("packs/committees/", views.CommitteeListView.as_view(), name="committee_list"),
    path("packs/committees/new/", views.CommitteeCreateView.as_view(), name="committee_create"),
    path("packs/committees/<int:pk>/edit/", views.CommitteeUpdateView.as_view(), name="committee_update"),
]
