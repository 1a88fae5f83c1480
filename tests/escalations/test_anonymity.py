"""The check that a precedent text does not identify the child (ADR 0061)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalations.anonymity import identifying_findings
from escalations.models import Precedent
from tests.escalations.fixtures import decide, open_escalation, referral_in

pytestmark = pytest.mark.django_db


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.text(alphabet=st.characters(categories=["Zs", "Po", "Nd"]), max_size=20),
    suffix=st.text(alphabet=st.characters(categories=["Zs", "Po", "Nd"]), max_size=20),
    swap=st.booleans(),
)
def test_a_name_surrounded_by_anything_but_letters_is_always_found(world, prefix, suffix, swap):
    referral = referral_in(world, "in_triage", child_first_name="Sem", child_last_name="Yilmaz")
    escalation = open_escalation(world, referral)
    decision = decide(world, escalation)
    precedent = Precedent.objects.get(decision=decision)
    name = "yilmaz" if swap else "SEM"
    assert "summary" in identifying_findings(precedent, {"summary": f"{prefix}{name}{suffix}"})
    assert not identifying_findings(precedent, {"summary": f"{prefix}Semester{suffix}"})
