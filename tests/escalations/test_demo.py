import io

import pytest
from django.core.management import call_command

from escalations.models import Escalation, Mediation, Mediator, Precedent

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_escalations_and_precedents_idempotently():
    for _ in range(2):
        call_command("seed_demo", password="demo-test-password-2026", stdout=io.StringIO())
    assert Escalation.objects.filter(state="open").count() == 1
    assert Escalation.objects.filter(state="decided").count() == 1
    assert Precedent.objects.published().count() == 3
    assert Precedent.objects.filter(status="draft", decision__isnull=False).count() == 1

    # Mediation before escalation (ADR 0149): one mediator, one settled, one not, one waiting.
    mediator = Mediator.objects.active().get()
    assert mediator.user.email == "begeleidingsgroep@demo.tandem.test"
    states = sorted(Mediation.objects.values_list("state", flat=True))
    assert states == ["not_settled", "open", "settled"]
    assert Mediation.objects.get(state="settled").referral.status == "accepted"
