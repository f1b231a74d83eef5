from django.urls import path

from . import views

app_name = "escalation"

urlpatterns = [
    path("providers/<str:code>/escalation/", views.provider_escalation, name="provider_escalation"),
    path("providers/<str:code>/escalation/escalate/", views.escalate, name="escalate"),
    path("providers/<str:code>/escalation/executive-decision/", views.executive_decision, name="executive_decision"),
    path("providers/<str:code>/escalation/override/", views.override, name="override"),
    path("providers/<str:code>/escalation/proposals/<int:pk>/", views.decide_proposal, name="decide_proposal"),
    path("providers/<str:code>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("providers/<str:code>/meetings/<int:pk>/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("providers/<str:code>/action-plans/new/", views.ActionPlanCreateView.as_view(), name="action_plan_create"),
    path(
        "providers/<str:code>/action-plans/<int:pk>/", views.ActionPlanUpdateView.as_view(), name="action_plan_update"
    ),
    path("providers/<str:code>/risks/new/", views.RiskCreateView.as_view(), name="risk_create"),
    path("providers/<str:code>/risks/<int:pk>/", views.RiskUpdateView.as_view(), name="risk_update"),
    path("risks/<str:register>/", views.risk_register, name="risk_register"),
    path("providers/<str:code>/intelligence/", views.intelligence_list, name="intelligence_list"),
    path("providers/<str:code>/intelligence/new/", views.IntelligenceCreateView.as_view(), name="intelligence_create"),
    path(
        "providers/<str:code>/intelligence/<int:pk>/",
        views.IntelligenceUpdateView.as_view(),
        name="intelligence_update",
    ),
    path(
        "providers/<str:code>/intelligence/<int:pk>/attachment/",
        views.intelligence_attachment,
        name="intelligence_attachment",
    ),
]
