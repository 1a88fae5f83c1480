"""`seed_demo` loads the real agenda plus demo owners, updates and meetings — idempotently."""

import io

import pytest
from django.core.management import call_command

from agenda.models import Activity, Agenda, Meeting, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_gives_the_same_agenda():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Agenda.objects.count(),
        Activity.objects.count(),
        ProgressUpdate.objects.count(),
        Meeting.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        (
            Agenda.objects.count(),
            Activity.objects.count(),
            ProgressUpdate.objects.count(),
            Meeting.objects.count(),
        )
        == counts
        == (1, 15, 2, 3)
    )
    owned = Activity.objects.get(ambition__number=2, number=5)
    assert owned.owner_municipality.cbs_code == "GM0344" and owned.updates.get().status == "at_risk"
    assert Activity.objects.exclude(impact=None).count() == 7
