"""The consent ledger is append-only (ADR 0097): removing a parent or withdrawing consent is
recorded, never deleted; only retention removes the ledger, with the rest of the personal data."""

import datetime

import pytest
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone

from referrals import retention, services
from referrals.consent import consent_problems
from referrals.models import Consent, ConsentLedgerError, Guardian, ReferralEvent
from tests.referrals.factories import ConsentFactory, GuardianFactory, complete_referral, referral_in

pytestmark = pytest.mark.django_db


def test_removing_a_parent_keeps_who_consented(world, client):
    sc = world.user("school_coordinator")
    referral = complete_referral(world.school, sc)
    mother = referral.guardians.get()
    consent = referral.consents.get()
    client.force_login(sc)
    response = client.post(reverse("referrals:guardian_remove", args=[referral.uuid, mother.pk]))
    assert response.status_code == 302
    mother.refresh_from_db()
    assert mother.removed_at is not None and mother.removed_by == sc
    consent.refresh_from_db()
    assert consent.guardian == mother and consent.withdrawn_at is None
    assert ReferralEvent.objects.filter(referral=referral, action="guardian_removed").count() == 1
    # The removed parent no longer counts, so the referral lacks a parent with custody again …
    assert consent_problems(referral)
    # … and the page lists the parent no more, but the ledger still names them.
    html = client.get(reverse("referrals:edit", args=[referral.uuid])).content.decode()
    assert f'action="/aanmeldingen/{referral.uuid}/ouders/{mother.pk}/verwijderen/"' not in html
    assert mother.name in html and "uit de aanmelding verwijderd op" in html
    # Removing twice changes nothing (the second is a 404: the parent is not listed).
    assert (
        client.post(reverse("referrals:guardian_remove", args=[referral.uuid, mother.pk])).status_code == 404
    )


def test_withdrawal_is_a_stamp_and_the_row_stays(world):
    sc = world.user("school_coordinator")
    referral = services.submit(sc, complete_referral(world.school, sc))
    consent = referral.consents.get()
    services.withdraw_consent(sc, consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == sc
    assert Consent.objects.filter(referral=referral).count() == 1


def test_the_ledger_refuses_deletes_and_rewrites(world):
    sc = world.user("school_coordinator")
    referral = complete_referral(world.school, sc)
    consent = referral.consents.get()
    with pytest.raises(ConsentLedgerError):
        consent.delete()
    with pytest.raises(ConsentLedgerError):
        Consent.objects.filter(pk=consent.pk).delete()
    with pytest.raises(ConsentLedgerError):
        Consent.objects.filter(pk=consent.pk).update(recipients="iedereen")
    consent.given_on = datetime.date(2020, 1, 1)
    with pytest.raises(ConsentLedgerError):
        consent.save()
    # A guardian with consent records cannot be deleted on its own.
    with pytest.raises((RestrictedError, ProtectedError)):
        referral.guardians.get().delete()
    assert Consent.objects.filter(pk=consent.pk, given_on=datetime.date(2026, 9, 1)).exists()


def test_retention_still_removes_the_whole_ledger(world):
    sc, dw = world.user("school_coordinator"), world.user("district_worker")
    referral = referral_in(world, "returned")
    father = GuardianFactory(referral=referral, name="Vader Ledger")
    consent = ConsentFactory(referral=referral, guardian=father, recorded_by=sc)
    services.remove_guardian(sc, father)
    services.withdraw_consent(sc, consent)
    referral = services.answer_and_resubmit(sc, referral, "Antwoord")
    referral = services.take_up(dw, referral)
    referral = services.decline(dw, referral, reason="other", explanation="Elders")
    later = timezone.now() + datetime.timedelta(days=31 * 25)
    assert retention.due_counts(later).anonymised == 1
    assert retention.apply_retention(later).anonymised == 1
    assert not Guardian.objects.filter(referral=referral).exists()
    assert not Consent.objects.filter(referral=referral).exists()


def test_a_stale_draft_with_a_removed_parent_is_deleted(world):
    sc = world.user("school_coordinator")
    referral = complete_referral(world.school, sc)
    services.remove_guardian(sc, referral.guardians.get())
    later = timezone.now() + datetime.timedelta(days=31 * 4)
    assert retention.apply_retention(later).drafts_deleted == 1
    assert not Consent.objects.exists() and not Guardian.objects.exists()
