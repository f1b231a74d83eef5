"""Who may call an endpoint: the permissions its page asks for, read from the view."""

from rest_framework.permissions import BasePermission


class HasPermissions(BasePermission):
    """The user (a token's owner, or the session's) holds every permission in the view's
    `required_permissions`: the same ones as the page that shows the same things. Rows are then
    limited by team in the view's queryset, through assurance.access, as on the pages."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return all(user.has_perm(permission) for permission in getattr(view, "required_permissions", ()))
