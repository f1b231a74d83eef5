"""A synthetic but plausible estate of any size, for benchmarks and demos (`generate_estate`).

Providers in every sector (health boards and trusts, independent hospitals, charities and
councils) with the register's codes and intervention levels; contracts in all three value
tiers, of the kinds each sector holds, with their service lines; the seeded indicator
catalogue; and months of returns through the demo's generator, so they have the same
realistic misses, late and missing data, development plans and trajectories. Everything
is decided by a seeded random generator: the same arguments give the same estate.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from contracts.models import Contract, ContractLine
from providers.models import CommissioningTeam, Provider, Service
from providers.periods import shift

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PLACES = [
    "Aberfen",
    "Ashcombe",
    "Barrowford",
    "Bryncoed",
    "Caerwen",
    "Calderbridge",
    "Castleton",
    "Dunmere",
    "Eastwick",
    "Ebbsford",
    "Fairholme",
    "Glanmor",
    "Greystone",
    "Hafod",
    "Harrowgate",
    "Kingsmere",
    "Langdale",
    "Llanfair",
    "Marlow Vale",
    "Merthyr Cross",
    "Northfield",
    "Oakhurst",
    "Pentre",
    "Penrhos",
    "Queensbury",
    "Redbridge",
    "Rhosfawr",
    "Riverside",
    "Southmoor",
    "Stanmore",
    "Tal-y-bont",
    "Thornbury",
    "Upperton",
    "Westbury",
    "Whitcombe",
    "Ynysddu",
    "Bridgend Vale",
    "Coedmor",
    "Dinas",
    "Eastleigh",
]
# sector: (share of providers, country, regulator, code prefix, name patterns, contract kinds)
SECTORS = {
    "nhs_wales": (0.04, "wales", "hiw", "W", ["{place} University Health Board", "{place} NHS Trust"], ["lta", "sla"]),
    "nhs_england": (
        0.46,
        "england",
        "cqc",
        "R",
        ["{place} Hospitals NHS Foundation Trust", "{place} NHS Trust", "{place} and {other} NHS Foundation Trust"],
        ["nhs_standard", "sla", "lta"],
    ),
    "independent": (
        0.30,
        "england",
        "cqc",
        "N",
        ["{place} Independent Hospital", "{place} Specialist Care Ltd", "{place} Clinic"],
        ["framework", "pre_placement", "individual_placement"],
    ),
    "third_sector": (
        0.12,
        "wales",
        "ciw",
        "T",
        ["{place} Hospice", "{place} Community Care (charity)"],
        ["grant", "sla"],
    ),
    "local_authority": (
        0.08,
        "wales",
        "ciw",
        "L",
        ["{place} County Council", "{place} Borough Council"],
        ["partnership", "individual_placement"],
    ),
}
INTERVENTION = [
    ("routine", 0.80),
    ("area_of_concern", 0.05),
    ("enhanced_monitoring", 0.08),
    ("targeted_intervention", 0.04),
    ("special_measures", 0.03),
]


def _pick(rng, weighted):
    draw, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if draw < total:
            return value
    return weighted[-1][0]


def _annual_value(rng, sector):
    """Annual contract values in pounds: NHS bodies across all three tiers, others mostly tier 3."""
    if sector in ("nhs_wales", "nhs_england"):
        band = rng.random()
        if band < 0.12:
            return rng.randint(40, 160) * 1_000_000  # tier 1
        if band < 0.40:
            return rng.randint(10, 39) * 1_000_000  # tier 2
        return rng.randint(500, 9_900) * 1_000  # tier 3
    if sector == "independent" and rng.random() < 0.08:
        return rng.randint(10, 25) * 1_000_000
    return rng.randint(20, 3_000) * 1_000


def ensure_catalogue():
    """The services and the seeded indicator catalogue, from the demo's fixtures (idempotent)."""
    quiet = open("/dev/null", "w")  # noqa: SIM115 - closed below
    try:
        for name in ("services", "indicators"):
            call_command(f"import_{name}", str(FIXTURES / f"{name}.csv"), stdout=quiet)
    finally:
        quiet.close()


@transaction.atomic
def generate_register(providers, *, seed, latest):
    """Create `providers` providers with their contracts and contract lines; returns (providers, contracts)."""
    rng = random.Random(f"estate-{seed}")  # noqa: S311  # nosec B311
    services = list(Service.objects.select_related("commissioning_team").order_by("code"))
    by_team = {}
    for service in services:
        by_team.setdefault(service.commissioning_team_id, []).append(service)
    teams = [t for t in CommissioningTeam.objects.order_by("code") if t.pk in by_team]
    shares = [(sector, spec[0]) for sector, spec in SECTORS.items()]
    start_number = Provider.objects.count()
    new_providers, plans = [], []
    for n in range(start_number, start_number + providers):
        sector = _pick(rng, shares)
        _share, country, regulator, prefix, patterns, kinds = SECTORS[sector]
        place, other = rng.choice(PLACES), rng.choice(PLACES)
        name = rng.choice(patterns).format(place=place, other=other)
        new_providers.append(
            Provider(
                code=f"{prefix}{n:05d}",
                name=f"{name} ({n:05d})",
                sector=sector,
                country=country,
                regulator=regulator,
                intervention_level=_pick(rng, INTERVENTION),
            )
        )
        plans.append((sector, kinds))
    Provider.objects.bulk_create(new_providers, batch_size=2000)
    saved = {p.code: p for p in Provider.objects.filter(code__in=[p.code for p in new_providers])}

    contracts, lines = [], []
    first = shift(latest, -36)
    for provider, (sector, kinds) in zip((saved[p.code] for p in new_providers), plans, strict=True):
        for index in range(1 if sector in ("local_authority", "third_sector") else rng.randint(1, 3)):
            team = rng.choice(teams)
            value = _annual_value(rng, sector)
            start = first + timedelta(days=rng.randint(0, 365))
            # Most run three to five years; some end within the next six months (renewals due).
            end = shift(latest, rng.choice([3, 5, 12, 18, 24, 36])) - timedelta(days=1)
            status = "draft" if rng.random() < 0.03 else "active"
            contract = Contract(
                reference=f"{provider.code}-{index + 1:02d}",
                provider=provider,
                title=f"{team.name} services with {provider.name}"[:255],
                contract_type=rng.choice(kinds),
                status=status,
                commissioning_team=team,
                annual_value=Decimal(value),
                total_value=Decimal(value * rng.randint(1, 5)),
                start_date=start,
                end_date=end,
                strategic_importance=rng.random() < 0.03,
                service_area=team.name,
            )
            contracts.append(contract)
            chosen = rng.sample(by_team[team.pk], k=min(len(by_team[team.pk]), rng.randint(1, 3)))
            lines.append((contract.reference, chosen, value))
    Contract.objects.bulk_create(contracts, batch_size=2000)
    ids = dict(Contract.objects.filter(reference__in=[c.reference for c in contracts]).values_list("reference", "pk"))
    ContractLine.objects.bulk_create(
        [
            ContractLine(
                contract_id=ids[reference],
                service=service,
                planned_activity=max(1, value // 9000 // len(chosen)),
                planned_cost=Decimal(value // len(chosen)),
            )
            for reference, chosen, value in lines
            for service in chosen
        ],
        batch_size=5000,
    )
    return len(new_providers), len(contracts)


def generate_estate(*, providers, months, seed, latest=None, history=False):
    """A whole estate: register, catalogue and `months` months of returns up to `latest`."""
    from django.utils import timezone

    from .demo import generate_returns
    from .finance import generate_actuals

    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    ensure_catalogue()
    made, contracts = generate_register(providers, seed=seed, latest=latest)
    returns = generate_returns(months=months, latest=latest, seed=f"{seed}-", history=history)
    generate_actuals(months=months, latest=latest, seed=f"{seed}-", history=history)
    return {
        "providers": made,
        "contracts": contracts,
        "returns": returns,
        "latest": latest,
        "first": date(latest.year, latest.month, 1) if months == 1 else shift(latest, -(months - 1)),
    }
