"""Actual activity and cost against contract plans (METHODOLOGY 9), where contracts meets assurance.

The figures live in contracts (contracts.models.LineActual, the rules in contracts.finance); the
month lock, who may act for which contract, and the ratings live here. Contracts may not import
assurance, so the contracts write service takes the locked months as an argument, and this module
(the only way the grid, the upload and `import_activity` write) supplies them, then asks for the
affected months to be re-rated: a month's actuals change the year to date of every later month
of its financial year, and with it the derived indicators of those months.
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.finance import SOURCES, derived_value
from contracts.importers import ActivityImporter
from contracts.models import Contract
from contracts.selectors import contract_actuals, finance_by, finance_lines
from contracts.services import line_actuals_write
from providers.periods import financial_year_months, format_period, month_start

from . import access
from .selectors import locked_periods
from .services import request_recompute

ENTER_ACTUALS = "contracts.change_lineactual"
VIEW_ACTUALS = "contracts.view_lineactual"


# Who may do what ---------------------------------------------------------------------------------


def can_enter_actuals(user, contract):
    """Team members enter their own teams' contracts' actuals; administrators any contract's."""
    if not user.has_perm(ENTER_ACTUALS):
        return False
    if access.is_team_limited(user):
        return user.teams.filter(pk=contract.commissioning_team_id).exists()
    return True


def can_view_actuals(user, contract):
    """Whoever may read the contract register's lines may read their actuals (team members see
    the whole register, as they see every contract)."""
    return can_enter_actuals(user, contract) or user.has_perm(VIEW_ACTUALS)


def actuals_access(user, contract):
    """True when the user may enter the contract's actuals, False when only read; else 403."""
    if can_enter_actuals(user, contract):
        return True
    if can_view_actuals(user, contract):
        return False
    raise PermissionDenied


def allowed_team_ids(user):
    """The teams whose contracts the user may fill in (None: every team)."""
    return set(user.teams.values_list("pk", flat=True)) if access.is_team_limited(user) else None


# Writes ------------------------------------------------------------------------------------------


class StaleActuals(Exception):
    """Someone saved the contract's actuals (the grid, an upload, the command) after this grid was
    opened: the optimistic lock of the grid, as StaleReturn is the return form's."""

    def __init__(self, contract):
        super().__init__(
            _("The actuals of contract %(reference)s were changed by someone else.") % {"reference": contract.reference}
        )
        self.contract = contract


def actuals_version(contract, months):
    """The version of a contract's actuals in these months, carried by the grid's form: a
    fingerprint of every saved line-month, so any write (the grid, an upload, the command line)
    changes it without each having to raise a counter."""
    digest = hashlib.sha256()
    for (line_id, period), actual in sorted(contract_actuals(contract, months).items()):
        digest.update(f"{line_id}|{format_period(period)}|{actual.activity}|{actual.cost:.2f}\n".encode())
    return digest.hexdigest()[:32]


def actuals_save(rows, *, user=None, contract=None, months=(), version=None):
    """The grid's write: (line, period, activity, cost) rows, all or nothing, locked months refused
    (contracts.services.ActualsRefused); then the months they change are re-rated.

    With `version` (actuals_version of `contract` and `months` when the grid was opened), the save
    is refused with StaleActuals, writing nothing, if those actuals changed since."""
    with transaction.atomic():
        if version is not None:
            Contract.objects.select_for_update().filter(pk=contract.pk).first()  # one save at a time
            if actuals_version(contract, months) != version:
                raise StaleActuals(contract)
        counts, changed = line_actuals_write(rows, locked=locked_periods())
    rerate(changed, user=user)
    return counts


def activity_importer(user=None):
    """An activity.csv importer that refuses locked months and, for a team member, other teams'
    contracts."""
    return ActivityImporter(locked=locked_periods(), allowed_team_ids=None if user is None else allowed_team_ids(user))


def import_activity(data, filename="", *, dry_run=False, user=None):
    """Upload or command line: import activity.csv, then re-rate what it changed."""
    importer = activity_importer(user)
    result = importer.run(data, filename, dry_run=dry_run)
    if result.ok and not dry_run:
        result.rating_run = rerate(importer.changed, user=user)
    return result


def rerate(changed, *, user=None):
    """Ask for every month from each changed one to the end of its financial year (not beyond this
    month) to be re-rated for the providers concerned: their derived indicators follow the year to date."""
    if not changed:
        return None
    this_month = month_start(timezone.localdate())
    providers, periods = set(), set()
    for provider_id, period in changed:
        providers.add(provider_id)
        periods.update(m for m in financial_year_months(period) if period <= m <= this_month)
    return request_recompute(providers, periods, user=user, trigger="actuals")


# Derived indicator values (METHODOLOGY 9) --------------------------------------------------------


def derived_values(months, provider_ids, indicators):
    """{(provider_id, month, indicator_id): (status, value, "")} for every indicator with a source,
    every provider given and every month: what the ratings use in place of a typed value (a row
    for such an indicator in a return is never read)."""
    derived = [indicator for indicator in indicators if indicator.source in SOURCES]
    if not derived or not provider_ids:
        return {}
    lines = finance_lines(months[0], months[-1], provider_ids=provider_ids)
    values = {}
    for month in months:
        positions = finance_by(lines, month, "provider_id")
        for provider_id in provider_ids:
            pos = positions.get(provider_id)
            for indicator in derived:
                status, value = ("missing", None) if pos is None else derived_value(indicator.source, pos)
                values[(provider_id, month, indicator.id)] = (status, value, "")
    return values
