import datetime
from decimal import Decimal

import factory

from contracts.models import Contract, ContractLine
from providers.models import CommissioningTeam
from tests.providers.factories import ProviderFactory, ServiceFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"CON-{n:04d}")
    provider = factory.SubFactory(ProviderFactory)
    title = factory.Sequence(lambda n: f"Specialised services contract {n}")
    contract_type = "sla"
    status = "active"
    commissioning_team = factory.LazyFunction(lambda: CommissioningTeam.objects.get(code="cardiac"))
    annual_value = Decimal("5000000")
    total_value = Decimal("15000000")
    start_date = datetime.date(2024, 4, 1)
    end_date = datetime.date(2027, 3, 31)


class ContractLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractLine

    contract = factory.SubFactory(ContractFactory)
    service = factory.SubFactory(ServiceFactory)
