from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaimsValidator(OAuth2Validator):
    """Gives the email and name claims, as Entra ID does for the email and profile scopes."""

    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "email_verified": True, "name": user.get_full_name() or user.username}
