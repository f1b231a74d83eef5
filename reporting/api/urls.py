"""/api/v1/: the API's endpoints, its schema and its documentation."""

from django.urls import path

from . import docs, views

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    path("providers/", views.ProviderList.as_view(), name="provider_list"),
    path("providers/<str:code>/", views.ProviderDetail.as_view(), name="provider_detail"),
    path("contracts/", views.ContractList.as_view(), name="contract_list"),
    path("contracts/<int:pk>/", views.ContractDetail.as_view(), name="contract_detail"),
    path("indicators/", views.IndicatorList.as_view(), name="indicator_list"),
    path("indicators/<str:code>/", views.IndicatorDetail.as_view(), name="indicator_detail"),
    path("ratings/", views.RatingList.as_view(), name="rating_list"),
    path("indicator-ratings/", views.IndicatorRatingList.as_view(), name="indicator_rating_list"),
    path("rating-jobs/<int:pk>/", views.RatingJobDetail.as_view(), name="rating_job"),
    path("escalation/levels/", views.LevelList.as_view(), name="level_list"),
    path("escalation/decisions/", views.DecisionList.as_view(), name="decision_list"),
    path("packs/", views.PackList.as_view(), name="pack_list"),
    path("packs/<int:pk>/", views.PackDetail.as_view(), name="pack_detail"),
    path("packs/<int:pk>/pdf/", views.PackDownload.as_view(file_format="pdf"), name="pack_pdf"),
    path("packs/<int:pk>/xlsx/", views.PackDownload.as_view(file_format="xlsx"), name="pack_xlsx"),
    path("returns/", views.ReturnsView.as_view(), name="returns"),
    path("finance/", views.FinanceView.as_view(), name="finance"),
]
