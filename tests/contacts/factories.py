"""Factories for the registry. Natural keys are drawn from sequences so they stay valid."""

import datetime

import factory
from django.utils import timezone

from contacts.models import (
    CareProvider,
    CollectiveArrangement,
    ContactAssignment,
    DistrictTeam,
    Invitation,
    Membership,
    Municipality,
    Partnership,
    Person,
    Region,
    Role,
    School,
    Tandem,
    User,
)
from contacts.models.accounts import ROLE_ORGANISATION_FIELD
from contacts.models.invitations import new_token

LETTERS = "ABCDEFGHJKLMNPRSTUVWXZ"


def _two_letters(n):
    return LETTERS[(n // len(LETTERS)) % len(LETTERS)] + LETTERS[n % len(LETTERS)]


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"REG-{n}")
    name = factory.Sequence(lambda n: f"Regio {n}")
    parent = None


class SubregionFactory(RegionFactory):
    code = factory.Sequence(lambda n: f"SUB-{n}")
    name = factory.Sequence(lambda n: f"Subregio {n}")
    parent = factory.SubFactory(RegionFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    region = factory.SubFactory(SubregionFactory)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    code = factory.Sequence(lambda n: f"PO{8000 + n % 2000:04d}")
    name = factory.Sequence(lambda n: f"Samenwerkingsverband {n}")
    sector = "po"
    region = factory.SubFactory(SubregionFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    # 10..79: the tests' explicit BRIN numbers (88xx-99xx, e.g. the world's 91AA and 91BB)
    # are never generated, however many schools a test session makes before them.
    brin = factory.Sequence(lambda n: f"{10 + (n // 484) % 70}{_two_letters(n)}")
    vestiging = "00"
    name = factory.Sequence(lambda n: f"Testschool {n}")
    school_type = "po"
    partnership = factory.SubFactory(PartnershipFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    postcode = "3511 AB"


class DistrictTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictTeam

    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    municipality = factory.SubFactory(MunicipalityFactory)


class CareProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareProvider

    name = factory.Sequence(lambda n: f"Zorgaanbieder {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    function = "IB-er"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SCHOOL_COORDINATOR


def make_member(role, organisation, **user_kwargs):
    """A user with one membership of `role` in `organisation`, and a linked contact person."""
    from contacts.models.accounts import ROLE_ORGANISATION_FIELD

    user = UserFactory(**user_kwargs)
    person = PersonFactory(name=user.full_name, email=user.email)
    user.person = person
    user.save(update_fields=["person"])
    field = ROLE_ORGANISATION_FIELD[Role(role)]
    Membership.objects.create(user=user, role=role, **{field: organisation})
    return user


class ContactAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAssignment

    person = factory.SubFactory(PersonFactory)
    valid_from = datetime.date(2026, 1, 1)


class TandemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tandem

    school = factory.SubFactory(SchoolFactory)
    school_coordinator = factory.SubFactory(PersonFactory)
    district_worker = factory.SubFactory(PersonFactory)
    district_team = factory.SubFactory(DistrictTeamFactory)
    valid_from = datetime.date(2026, 1, 1)


def invite(
    membership, *, days=7, invited_days_ago=0, accepted=False, invited_by=None, emailed=True, **fields
):
    """An invitation of `membership`, made `invited_days_ago` days ago and expiring `days` from
    now (negative: expired); `emailed`: its one-time link was e-mailed now. Returns
    (invitation, token) — the token as the e-mail task would have put it in the link ("" when
    not e-mailed)."""
    now = timezone.now()
    token, selector, token_hash = new_token() if emailed else ("", "", "")
    invitation = Invitation.objects.create(
        user=membership.user,
        membership=membership,
        invited_by=invited_by,
        created_at=now - datetime.timedelta(days=invited_days_ago),
        expires_at=now + datetime.timedelta(days=days),
        accepted_at=now if accepted else None,
        selector=selector,
        token_hash=token_hash,
        emailed_at=now if emailed else None,
        **fields,
    )
    return invitation, token


def make_invitation(role, organisation, email="uitgenodigd@example.test", invited_by=None, **fields):
    """An invited, inactive account with its membership and an open, e-mailed invitation;
    returns (invitation, token)."""
    user = User.objects.create_user(email, password=None, full_name="Ina Uitgenodigd", is_active=False)
    membership = Membership.objects.create(
        user=user, role=role, **{ROLE_ORGANISATION_FIELD[Role(role)]: organisation}
    )
    return invite(membership, invited_by=invited_by, **fields)


class CollectiveArrangementFactory(factory.django.DjangoModelFactory):
    """An arrangement of `region` from 1 January 2026, open-ended. Pass schools=[…] and
    providers=[…] (lists) to link them."""

    class Meta:
        model = CollectiveArrangement
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Arrangement {n}")
    education_percentage = 60
    capacity = 30
    valid_from = datetime.date(2026, 1, 1)

    @factory.post_generation
    def schools(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.schools.set(extracted)

    @factory.post_generation
    def providers(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.providers.set(extracted)

    @factory.post_generation
    def care_workers(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.care_workers.set(extracted)


def arrangement_of(world, **kwargs):
    """A current arrangement of the world's region at world.school with world.care_provider."""
    kwargs.setdefault("schools", [world.school])
    kwargs.setdefault("providers", [world.care_provider])
    return CollectiveArrangementFactory(region=world.region, **kwargs)
