"""The site's own pages: the start page, sign-in, the language switcher and the health check."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language


@require_POST
def language_switch(request):
    """The header's language switcher: Django's set_language (a cookie kept for a year), and
    for a signed-in user the choice saved on their account, so it follows them to another
    computer and their emails and committee packs are written in it too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


class SignInView(auth_views.LoginView):
    """Sign in; a user who chose a language before gets it back on any computer."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED  # single sign-on (issue 15)
        context["oidc_label"] = settings.OIDC_LABEL
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@require_GET
def health(request):
    """For load balancers and docker-compose: is the app up and its database reachable?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
