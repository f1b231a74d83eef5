"""Writes to the contract register: one write path for a contract and its lines, taking values,
behind the register's form and the contracts.csv and contract_lines.csv imports."""

from django.db import transaction
from django.utils.translation import gettext as _

from providers.importing import change_reason, update_or_create_if_changed
from providers.periods import format_period

from .models import Contract, ContractLine, LineActual

KEEP = object()  # a line's planned figures: leave them as they are (or none, for a new line)


@transaction.atomic
def contract_save(*, reference, data, lines=None, contract=None):
    """Create or update the contract `reference` from plain values, and make its lines exactly
    `lines`, as one change; returns (contract, "created" | "updated" | "unchanged").

    `data` holds the contract's other fields (validated by the model's own clean(); a field left
    out is left as it is). `lines` maps each service the contract commissions to its planned
    (annual activity, annual cost), or to KEEP to leave a kept line's figures as they are; lines
    for services not in it are removed (each removal kept in the history). `lines=None` leaves
    the lines alone. `contract` is the row being edited, when the reference itself may change.
    Nothing is written when nothing differs, so saving or importing the same values twice changes
    nothing.
    """
    if contract is None:
        contract, outcome = update_or_create_if_changed(Contract, {"reference": reference}, data)
    else:
        contract, outcome = _contract_update(contract, {"reference": reference, **data})
    if lines is not None and _lines_set(contract, lines) and outcome == "unchanged":
        outcome = "updated"
    return contract, outcome


def _contract_update(contract, values):
    changed = [name for name, value in values.items() if getattr(contract, name) != value]
    if not changed:
        return contract, "unchanged"
    for name in changed:
        setattr(contract, name, values[name])
    contract.full_clean()
    contract.save()
    return contract, "updated"


def _lines_set(contract, lines) -> bool:
    """Make the contract's lines exactly those of `lines`; True when anything changed."""
    services = {service.pk: (service, figures) for service, figures in lines.items()}
    changed = False
    for line in list(contract.lines.all()):
        if line.service_id not in services:
            line.delete()  # one by one so each removal is kept in the history
            changed = True
            continue
        _service, figures = services.pop(line.service_id)
        if figures is not KEEP and (line.planned_activity, line.planned_cost) != tuple(figures):
            line.planned_activity, line.planned_cost = figures
            line.full_clean()
            line.save()
            changed = True
    for service, figures in services.values():
        activity, cost = (None, None) if figures is KEEP else figures
        line = ContractLine(contract=contract, service=service, planned_activity=activity, planned_cost=cost)
        line.full_clean()
        line.save()
        changed = True
    return changed


def contract_line_save(*, contract, service, planned_activity, planned_cost):
    """Set one line's planned annual activity and cost (contract_lines.csv), adding the line when
    the contract does not commission that service yet; returns the outcome as contract_save does."""
    _line, outcome = update_or_create_if_changed(
        ContractLine,
        {"contract": contract, "service": service},
        {"planned_activity": planned_activity, "planned_cost": planned_cost},
    )
    return outcome


class ActualsRefused(Exception):
    """A write of actuals refused as a whole: a locked month, or a month the contract is not live."""


def line_actual_save(*, line, period, activity, cost, locked=frozenset()):
    """Set (or, with activity and cost both None, remove) a line's actuals for a month; returns
    "created" | "updated" | "unchanged" (a removal counts as "updated", nothing to remove as
    "unchanged"). Every change is kept in the history.

    `locked` holds the months signed off and locked: the lock lives in assurance, which may import
    contracts but not the other way round, so its callers pass the locked months in. A month in it,
    or one in which the line's contract is not live (METHODOLOGY, "Who is rated"), is refused."""
    if period in locked:
        raise ActualsRefused(
            _("%(period)s is locked after sign-off; ask an administrator to unlock it.")
            % {"period": format_period(period)}
        )
    if not Contract.objects.live_in(period).filter(pk=line.contract_id).exists():
        raise ActualsRefused(
            _("Contract %(reference)s is not live in %(period)s.")
            % {"reference": line.contract.reference, "period": format_period(period)}
        )
    if activity is None and cost is None:
        existing = LineActual.objects.filter(line=line, period=period).first()
        if existing is None:
            return "unchanged"
        existing._change_reason = change_reason()
        existing.delete()
        return "updated"
    _actual, outcome = update_or_create_if_changed(
        LineActual, {"line": line, "period": period}, {"activity": activity, "cost": cost}
    )
    return outcome


@transaction.atomic
def line_actuals_write(rows, *, locked=frozenset()):
    """Write many (line, period, activity, cost) at once, all or nothing: the first refusal
    (ActualsRefused) undoes them all. Returns ({outcome: count}, {(provider_id, period)} changed)."""
    counts, changed = {"created": 0, "updated": 0, "unchanged": 0}, set()
    for line, period, activity, cost in rows:
        outcome = line_actual_save(line=line, period=period, activity=activity, cost=cost, locked=locked)
        counts[outcome] += 1
        if outcome != "unchanged":
            changed.add((line.contract.provider_id, period))
    return counts, changed
