"""URLs of the assurance framework (assurance/urls.py is the project's root URLconf)."""

from django.urls import path

from . import actuals_views, grid_views, indicator_views, query_views, register_views, views

app_name = "assurance"

urlpatterns = [
    path("ratings/jobs/", views.rating_runs, name="rating_runs"),
    path("returns/", views.collection, name="collection"),
    path("returns/grid/", grid_views.team_grid, name="team_grid"),
    path("returns/upload/", views.ReturnsImportView.as_view(), name="returns_import"),
    path("register/import/", register_views.RegisterImportView.as_view(), name="register_import"),
    path("returns/upload/<int:pk>/", views.upload_job, name="upload_job"),
    path("returns/upload/<int:pk>/status/", views.upload_job_status, name="upload_job_status"),
    path("returns/template/", views.return_template_download, name="return_template"),
    path("returns/<str:code>/<str:period>/", views.return_entry, name="return_entry"),
    path("returns/<str:code>/<str:period>/queries/", query_views.query_raise, name="query_raise"),
    path("returns/<str:code>/<str:period>/queries/<int:pk>/", query_views.query_answer, name="query_answer"),
    path("returns/<str:code>/<str:period>/send-back/", query_views.return_send_back, name="return_send_back"),
    path("indicators/", indicator_views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/new/", indicator_views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicator_views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path("indicators/<int:pk>/targets/new/", indicator_views.indicator_target_create, name="indicator_target_create"),
    path("trajectories/", views.trajectory_list, name="trajectory_list"),
    path("trajectories/new/", views.trajectory_create, name="trajectory_create"),
    path("contracts/<int:pk>/actuals/", actuals_views.contract_actuals_grid, name="contract_actuals"),
    path("actuals/upload/", actuals_views.ActivityImportView.as_view(), name="activity_import"),
    path("actuals/template/", actuals_views.activity_template_download, name="activity_template"),
    path("periods/<str:period>/lock/", views.lock_period, name="lock_period"),
    path("periods/<str:period>/unlock/", views.unlock_period, name="unlock_period"),
]
