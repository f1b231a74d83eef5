from django.urls import path

from . import views

app_name = "escalation"

urlpatterns = [
    path("providers/<str:code>/escalation/", views.provider_escalation, name="provider_escalation"),
    path("providers/<str:code>/escalation/escalate/", views.escalate, name="escalate"),
    path("providers/<str:code>/escalation/override/", views.override, name="override"),
    path("providers/<str:code>/escalation/proposals/<int:pk>/", views.decide_proposal, name="decide_proposal"),
]
