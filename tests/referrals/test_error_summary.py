"""Errors where the eye is on the referral form (ADR 0118) and what submission needs marked
(ADR 0119)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Status
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sc_client(client, world):
    client.force_login(world.user("school_coordinator"))
    return client


def test_submit_without_consent_links_to_the_consent_section_which_shows_the_message(sc_client, world):
    referral = referral_in(world, "draft", child_group="")
    referral.consents.update(withdrawn_at=timezone.now())
    response = sc_client.post(reverse("referrals:submit", args=[referral.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fout: " in html
    summary = html[
        html.index('id="referral-errors"') : html.index("</ul>", html.index('id="referral-errors"'))
    ]
    assert "data-error-summary" in summary and "De aanmelding kan nog niet worden ingediend" in summary
    assert 'href="#id_child_group"' in summary
    assert 'href="#section-consent"' in summary
    consent = html[
        html.index('id="section-consent"') : html.index("</section>", html.index('id="section-consent"'))
    ]
    assert 'id="section-consent-problems"' in consent and "Toestemming van" in consent
    # The message is repeated at the field, and the field is marked invalid.
    group = re.search(r'<input[^>]*name="child_group"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in group and 'aria-describedby="id_child_group_error' in group
    assert 'id="id_child_group_error"' in html
    assert html.count("data-error-summary") == 1
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT


def test_invalid_save_has_one_summary_with_links(sc_client, world):
    response = sc_client.post(
        reverse("referrals:create"), {"school": world.school.pk, "child_date_of_birth": "2999-01-01"}
    )
    html = response.content.decode()
    assert html.count("data-error-summary") == 1
    assert 'href="#id_child_date_of_birth"' in html and 'href="#id_urgency_0"' in html


def test_what_submission_needs_is_marked_required_and_the_later_sections_announced(sc_client, world):
    html = sc_client.get(reverse("referrals:create")).content.decode()
    for field in [
        "child_first_name",
        "child_last_name",
        "child_date_of_birth",
        "child_group",
        "home_municipality",
    ]:
        label = re.search(
            rf'<label class="utrecht-form-label" for="id_{field}">[^<]*<span[^>]*>([^<]*)</span>', html
        )
        assert label and label.group(1) == "(verplicht)", field
    for legend in ["Domeinen", "Gewenste vorm van hulp"]:
        assert re.search(rf"{legend}[^<]*<span class=\"tandem-required\">\(verplicht\)</span>", html), legend
    assert not re.search(r'for="id_current_help">[^<]*<span', html)  # optional stays unmarked
    # One page (ADR 0163): parents, consent and attachments are part of the new form too.
    for section in ("section-guardians", "section-consent", "section-attachments"):
        assert f'id="{section}"' in html, section
    assert "Concept opslaan" in html
