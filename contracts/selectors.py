"""Reads for the contract register."""

from django.db.models import Count, Sum

from providers.models import Service
from providers.selectors import history_entries

from .models import Contract, ContractLine


def contract_list():
    return Contract.objects.with_tier().select_related("provider", "commissioning_team")


def contract_totals(queryset):
    """Count and value totals of a (filtered) list of contracts, in one query."""
    totals = queryset.order_by().aggregate(count=Count("pk"), annual=Sum("annual_value"), total=Sum("total_value"))
    return {key: value or 0 for key, value in totals.items()}


def provider_contracts(provider):
    return contract_list().filter(provider=provider).order_by("-status", "reference")


def provider_services(provider):
    """Services commissioned from the provider under contracts that are not drafts.

    One filter on the contract lines, so a service is listed when one of this provider's
    commissioned contracts covers it, whatever other contracts (drafts elsewhere) say.
    """
    return (
        Service.objects.filter(contract_lines__contract__in=Contract.objects.commissioned().filter(provider=provider))
        .select_related("commissioning_team")
        .distinct()
        .order_by("name")
    )


def contract_detail(pk):
    return contract_list().prefetch_related("lines__service").get(pk=pk)


def contract_history(contract):
    """The contract's own changes and its lines being added, changed or removed."""
    records = list(contract.history.select_related("history_user"))
    line_records = list(ContractLine.history.filter(contract_id=contract.pk).select_related("history_user", "service"))
    entries = history_entries(records) + history_entries(line_records, subject=lambda record: str(record.service))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def contract_lines_totals(contract):
    return contract.lines.aggregate(activity=Sum("planned_activity"), cost=Sum("planned_cost"))
