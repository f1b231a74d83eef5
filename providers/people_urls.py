"""People management for register administrators: /people/ (issue 15)."""

from django.urls import path

from . import people_views as views

app_name = "people"

urlpatterns = [
    path("people/", views.PeopleListView.as_view(), name="list"),
    path("people/invite/", views.person_invite, name="invite"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/access/", views.person_access, name="access"),
    path("people/<int:pk>/invite-again/", views.person_invite_again, name="invite_again"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="reactivate"),
    path("people/<int:pk>/reset-two-factor/", views.person_mfa_reset, name="mfa_reset"),
]
