import io

import pytest
from django.core.management import call_command

from escalations.models import Escalation, Precedent

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_escalations_and_precedents_idempotently():
    for _ in range(2):
        call_command("seed_demo", password="demo-test-password-2026", stdout=io.StringIO())
    assert Escalation.objects.filter(state="open").count() == 1
    assert Escalation.objects.filter(state="decided").count() == 1
    assert Precedent.objects.published().count() == 3
    assert Precedent.objects.filter(status="draft", decision__isnull=False).count() == 1
