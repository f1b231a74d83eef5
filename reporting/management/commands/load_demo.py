"""Load the demo estate and demo users. Safe to run again: nothing is duplicated."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from contracts.models import Contract
from providers.accounts import demo_totp_device, mfa_required
from providers.choices import DirectorLevel
from providers.mfa import totp_secret
from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER
from providers.services import user_roles_set
from reporting.devtools.demo import (
    build_packs,
    describe_catalogue,
    generate_intelligence,
    generate_monitoring,
    generate_returns,
    rate_history,
    target_change,
)
from reporting.devtools.finance import generate_actuals, overspend_judgement

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# Bandit: not a secret, the demo logins' password, published in the README.
DEMO_PASSWORD = "demo-assurance-2026"  # nosec B105

# username, first, last, role, teams, (service director, executive director, chief executive)
DEMO_USERS = [
    ("admin", "Rhian", "Morgan", ADMINISTRATOR, [], (False, False, False)),
    ("alice", "Alice", "Jones", TEAM_MEMBER, ["cardiac", "neurosciences"], (False, False, False)),
    ("bob", "Bob", "Evans", TEAM_MEMBER, ["mental_health"], (False, False, False)),
    ("sian", "Siân", "Williams", DIRECTOR, [], (True, False, False)),
    ("dafydd", "Dafydd", "Thomas", DIRECTOR, [], (False, True, False)),
    ("ceo", "Carys", "Davies", DIRECTOR, [], (False, False, True)),
    ("committee", "Gareth", "Hughes", COMMITTEE_MEMBER, [], (False, False, False)),
]

LEADS = ["Emma Roberts", "Huw Lewis", "Nia Price", "Owain Jenkins", "Ffion Edwards", "Rhys Powell"]


class Command(BaseCommand):
    help = "Load demo providers, services, contracts and one user per role (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in ("services", "providers", "contracts", "indicators"):
                call_command(f"import_{name}", str(FIXTURES / f"{name}.csv"), stdout=self.stdout)
            describe_catalogue()  # seed 002 Table 1 references (issue 18)
            self.fill_contract_details()
            self.create_users()
            created = generate_returns()
            self.stdout.write(f"Demo returns: {created} created.")
            actuals = generate_actuals()
            overspend_judgement()
            self.stdout.write(f"Demo contract actuals: {actuals} line-months created.")
            if target_change():
                self.stdout.write("Demo target change recorded (referral to treatment, from three months ago).")
            if rate_history():
                self.stdout.write("Demo ratings and escalation history computed.")
            if generate_monitoring():
                self.stdout.write("Demo meetings, action plans and risks recorded.")
            if generate_intelligence():
                self.stdout.write("Demo intelligence, a deep dive across providers and an Exec-to-Exec recorded.")
        built = build_packs()
        if built:
            self.stdout.write(f"Demo committee packs built: {', '.join(built)}.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def fill_contract_details(self):
        """The register's free-text fields are not in contracts.csv; give the demo some."""
        for index, contract in enumerate(Contract.objects.select_related("commissioning_team").order_by("reference")):
            if contract.operational_lead:
                continue
            contract.service_area = contract.commissioning_team.name
            contract.service_description = contract.title
            contract.operational_lead = LEADS[index % len(LEADS)]
            contract.contractual_lead = LEADS[(index + 3) % len(LEADS)]
            contract.save()
            lines = list(contract.lines.all())
            for line in lines:
                line.planned_cost = (contract.annual_value / len(lines)).quantize(Decimal("1"))
                line.planned_activity = int(line.planned_cost / 9000) or 1
                line.save()

    def create_users(self):
        """The demo users, their roles, teams and director levels granted by the system (no
        acting user), so the grants are in the audit like any other."""
        User = get_user_model()
        authenticators = {}
        for username, first, last, role, team_codes, levels in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@example.nhs.wales"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
            user.is_staff = role == ADMINISTRATOR
            user.save()
            user_roles_set(
                user=user,
                acting_user=None,
                roles=[role],
                teams=team_codes,
                director_levels=[level for level, owned in zip(DirectorLevel, levels, strict=True) if owned],
            )
            if mfa_required(user):  # directors and administrators sign in with a code too (issue 15)
                authenticators[username] = totp_secret(demo_totp_device(user))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        level_names = ("Service Director", "Executive Director", "Chief Executive")
        for username, _first, _last, role, team_codes, levels in DEMO_USERS:
            detail = team_codes + [name for name, owned in zip(level_names, levels, strict=True) if owned]
            detail_text = f" ({', '.join(detail)})" if detail else ""
            self.stdout.write(f"  {username:<10} {role}{detail_text}")
        if authenticators:
            self.stdout.write(
                "Two-factor sign-in: after the password these users give a code. Add the key to an "
                "authenticator app, or print the current code with `manage.py totp_code USERNAME`:"
            )
            for username, secret in authenticators.items():
                self.stdout.write(f"  {username:<10} {secret}")
