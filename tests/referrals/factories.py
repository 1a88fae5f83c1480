import datetime

import factory

from referrals.models import Consent, Guardian, Referral, ReferralDomain, Status
from tests.contacts.factories import SchoolFactory, UserFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft referral; use `submitted_referral()` or workflow.transition for other states."""

    class Meta:
        model = Referral

    school = factory.SubFactory(SchoolFactory)
    home_municipality = factory.SelfAttribute("school.municipality")
    created_by = factory.SubFactory(UserFactory)
    status = Status.DRAFT
    child_first_name = factory.Faker("first_name", locale="nl_NL")
    child_last_name = factory.Faker("last_name", locale="nl_NL")
    child_date_of_birth = datetime.date(2016, 5, 17)
    child_group = "groep 5"
    question = "Vraag van school"
    already_done = "Basisondersteuning"
    goals = "Doel"
    desired_form = "individual"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    referral = factory.SubFactory(ReferralFactory)
    name = factory.Faker("name", locale="nl_NL")
    relation = "moeder"
    has_custody = True


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    referral = factory.SubFactory(ReferralFactory)
    giver = Consent.Giver.PARENT
    given_on = datetime.date(2026, 9, 1)
    form = Consent.Form.WRITTEN
    recipients = "wijkteam"
    recorded_by = factory.SelfAttribute("referral.created_by")


class ReferralDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralDomain

    referral = factory.SubFactory(ReferralFactory)
    domain = "behaviour"
