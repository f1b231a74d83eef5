"""The header navigation, built from what the signed-in user may do."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed; None = any signed-in user)
NAVIGATION = [
    (_("Home"), "home", None),
    (_("Dashboard"), "reporting:dashboard", "assurance.view_providerrating"),
    (_("Committee packs"), "reporting:pack_archive", "reporting.view_committeepack"),
    (_("Returns"), "assurance:collection", "assurance.view_monthlyreturn"),
    (_("Providers"), "providers:provider_list", "providers.view_provider"),
    (_("Contracts"), "contracts:contract_list", "contracts.view_contract"),
    (_("Finance"), "reporting:finance", "contracts.view_lineactual"),
    (_("Services"), "providers:service_list", "providers.view_service"),
    (_("Teams"), "providers:team_list", "providers.view_commissioningteam"),
    (_("Indicators"), "assurance:indicator_list", "assurance.view_indicator"),
    (_("Import"), "assurance:register_import", "providers.import_register"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "mfa_pending", False):
        return {"navigation": []}  # nor while a second factor is owed (providers/mfa.py)
    items = []
    for label, name, perm in NAVIGATION:
        if perm and not user.has_perm(perm):
            continue
        url = reverse(name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return {"navigation": items}
