"""Factories for the work agenda."""

import datetime

import factory

from agenda.models import Activity, Agenda, Ambition, Goal, Meeting, MeetingType, ProgressUpdate, UpdateStatus
from tests.contacts.factories import RegionFactory, UserFactory


class AgendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agenda

    slug = factory.Sequence(lambda n: f"agenda-{n}")
    title = factory.Sequence(lambda n: f"Werkagenda {n}")
    region = factory.SubFactory(RegionFactory)
    period_start = datetime.date(2022, 11, 1)


class AmbitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambition

    agenda = factory.SubFactory(AgendaFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Ambitie {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    ambition = factory.SubFactory(AmbitionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Doelstelling {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    ambition = factory.SubFactory(AmbitionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Activiteit {n}")


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    activity = factory.SubFactory(ActivityFactory)
    author = factory.SubFactory(UserFactory)
    status = UpdateStatus.ON_TRACK
    note = "Loopt volgens plan."
    date = datetime.date(2026, 1, 15)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    region = factory.SubFactory(RegionFactory)
    meeting_type = MeetingType.PRACTITIONER
    date = datetime.date(2026, 3, 1)
    place = "Utrecht"
