import factory
from django.contrib.auth.models import Group

from providers.models import CommissioningTeam, Provider, Service, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningTeam
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team_{n}")
    name = factory.Sequence(lambda n: f"Team {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"service_{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    commissioning_team = factory.LazyFunction(lambda: CommissioningTeam.objects.get(code="cardiac"))


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Provider {n} NHS Trust")
    sector = "nhs_england"
    country = "england"
    regulator = "cqc"
    intervention_level = "routine"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def team_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.add(*CommissioningTeam.objects.filter(code__in=extracted))


# Two-factor authentication (issue 15) ------------------------------------------------------


def enrol_totp(user):
    """A confirmed authenticator for the user (the one they have, or a new one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def totp_code(device, offset=0):
    """The code the user's authenticator app shows now (offset: steps later, for a second code)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def verify_session_if_needed(client, user):
    """Mark a test client's session as verified by the user's authenticator, when they need one."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from providers.accounts import has_mfa, mfa_required

    if not (mfa_required(user) or has_mfa(user)):
        return
    device = enrol_totp(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def fresh_totp_code(device):
    """A code the device will accept now: django-otp refuses a time step already used, so a second
    sign-in within 30 seconds takes the next step's code (within its tolerance of one step), or
    waits for the next step."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits)
    offset = max(0, device.last_t + 1 - clock.t())
    if offset > device.tolerance:
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
        return fresh_totp_code(device)
    return totp_code(device, offset)
