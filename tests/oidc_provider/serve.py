"""Start the test OpenID Connect provider: migrate a fresh database, add one person and one
client application, then serve on 127.0.0.1:PORT until killed.

    python -m tests.oidc_provider.serve PORT CLIENT_ID CLIENT_SECRET REDIRECT_URIS USERNAME PASSWORD EMAIL
"""

import os
import sys


def main(argv):
    port, client_id, client_secret, redirect_uris, username, password, email = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    User.objects.create_user(username=username, password=password, email=email, first_name="Sso", last_name="User")
    Application.objects.create(
        name="Provider assurance (test)",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uris,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
