"""Writes to the contract register."""

from django.db import transaction

from .models import Contract, ContractLine


def contract_set_services(contract: Contract, services) -> bool:
    """Make the contract's lines exactly `services`, keeping planned figures of kept lines.

    Returns True when a line was added or removed.
    """
    wanted = {service.pk: service for service in services}
    existing = {line.service_id: line for line in contract.lines.all()}
    removed = [line for service_id, line in existing.items() if service_id not in wanted]
    added = [service for service_id, service in wanted.items() if service_id not in existing]
    for line in removed:
        line.delete()  # one by one so each removal is kept in the history
    for service in added:
        ContractLine.objects.create(contract=contract, service=service)
    return bool(removed or added)


@transaction.atomic
def contract_save(*, form, lines_formset) -> Contract:
    """Save a contract and its lines from the register's form, as one change."""
    contract = form.save()
    lines_formset.instance = contract
    lines_formset.save()
    return contract
