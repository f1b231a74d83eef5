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
