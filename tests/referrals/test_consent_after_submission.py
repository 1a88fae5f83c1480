"""After submission the referral page shows the consent ledger (who, for what, when, recorded
by whom, withdrawn when), with withdrawal and new consent as deliberate secondary actions
behind a disclosure, not the big form."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from referrals import services
from tests.referrals.factories import complete_referral

pytestmark = pytest.mark.django_db


def _submitted(world):
    sc = world.user("school_coordinator")
    return services.submit(sc, complete_referral(world.school, sc))


def test_the_referral_page_shows_the_ledger_and_hides_the_controls_behind_a_disclosure(world, client):
    referral = _submitted(world)
    consent = referral.consents.get()
    client.force_login(world.user("school_coordinator"))
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    ledger = html[
        html.index('id="consent-ledger"') : html.index("</table>", html.index('id="consent-ledger"'))
    ]
    assert consent.guardian.name in ledger and consent.recipients in ledger
    assert escape(world.user("school_coordinator").full_name) in ledger
    # Withdrawal and new consent sit in closed <details>, not open on the page.
    assert re.search(r'<details class="tandem-action" id="consent-withdraw">', html)
    assert re.search(r'<details class="tandem-action" id="consent-record">', html)
    withdraw_url = reverse("referrals:consent_withdraw", args=[referral.uuid, consent.pk])
    assert html.index('id="consent-withdraw"') < html.index(withdraw_url) < html.index('id="consent-record"')


def test_a_withdrawal_is_shown_in_the_ledger_and_offered_no_more(world, client):
    referral = _submitted(world)
    consent = referral.consents.get()
    client.force_login(world.user("school_coordinator"))
    url = reverse("referrals:consent_withdraw", args=[referral.uuid, consent.pk])
    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert url not in html
    ledger = html[html.index('id="consent-ledger"') :]
    assert consent.withdrawn_at.astimezone().strftime("%H:%M") in ledger


def test_the_district_team_reads_the_ledger_without_controls(world, client):
    referral = _submitted(world)
    client.force_login(world.user("district_worker"))
    html = client.get(reverse("referrals:detail", args=[referral.uuid])).content.decode()
    assert 'id="consent-ledger"' in html
    assert 'id="consent-withdraw"' not in html and 'id="consent-record"' not in html


def test_a_bad_new_consent_opens_the_disclosure_with_the_error(world, client):
    referral = _submitted(world)
    client.force_login(world.user("school_coordinator"))
    response = client.post(
        reverse("referrals:consent_add", args=[referral.uuid]), {"giver": "parent", "given_on": "x\x00"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<details class="tandem-action" id="consent-record" open>' in html
    assert "utrecht-form-field-error-message" in html
    assert referral.consents.count() == 1


def test_the_consent_form_offers_the_same_guardians_from_the_pages_list(world):
    from django.utils import timezone

    from referrals.forms import ConsentForm
    from tests.referrals.factories import GuardianFactory

    referral = _submitted(world)
    GuardianFactory(referral=referral, has_custody=False)
    GuardianFactory(referral=referral, removed_at=timezone.now())
    queried = ConsentForm(referral=referral)
    listed = ConsentForm(referral=referral, guardians=list(referral.guardians.listed()))
    assert str(listed["guardian"]) == str(queried["guardian"])
    assert len(list(queried.fields["guardian"].choices)) == 2  # the empty choice and the one with custody
