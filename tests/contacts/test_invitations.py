"""Invitations (ADR 0135): the registry administrator invites a person into a role; the
one-time link's secret is stored only as a hash; expiry, reuse, resend and region borders."""

import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from contacts import services
from contacts.models import Invitation, Membership, Role, User
from contacts.services import InvitationInvalid
from portal.models import AccessLog, OutboxMessage
from tests.contacts import factories as f

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+/uitnodiging/([A-Za-z0-9_-]+)/")
PASSWORD = "Lange-zin-met-7-woorden!"


@pytest.fixture
def send(django_capture_on_commit_callbacks, mailoutbox):
    """Run `action` and the outbox delivery after its commit; return the link token e-mailed."""

    def run(action, *args, **kwargs):
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        new = mailoutbox[before:]
        assert len(new) == 1, [m.subject for m in new]
        return result, LINK.search(new[0].body).group(1)

    return run


def _invite(world, **overrides):
    data = {
        "email": "nieuw@example.test",
        "full_name": "Nina Nieuw",
        "organisation": world.school,
        "role": Role.SCHOOL_COORDINATOR,
    }
    return services.invite_person(world.user("registry_admin"), **(data | overrides))


def test_invitation_creates_an_inactive_account_with_the_membership_and_queues_the_email(
    world, send, mailoutbox
):
    invitation, token = send(_invite, world, email=" Nieuw@Example.TEST ")
    user = invitation.user
    assert user.email == "nieuw@example.test" and user.full_name == "Nina Nieuw"
    assert not user.is_active and not user.has_usable_password()
    assert invitation.membership == Membership.objects.get(user=user)
    assert invitation.membership.role == Role.SCHOOL_COORDINATOR
    assert invitation.membership.school == world.school
    assert invitation.invited_by == world.user("registry_admin")
    assert OutboxMessage.objects.filter(task="contacts.send_invitation_email", state="sent").count() == 1
    mail = mailoutbox[0]
    assert mail.to == ["nieuw@example.test"]
    assert "uitnodiging" in mail.subject.lower() and "Basisschool Aan" in mail.body
    assert "wachtwoord" in mail.body  # Dutch
    log = AccessLog.objects.get(activity="invitation_sent")
    assert log.user == world.user("registry_admin") and log.object_id == str(invitation.pk)


def test_the_token_is_stored_only_as_its_sha256_hash(world, send):
    invitation, token = send(_invite, world)
    invitation.refresh_from_db()
    verifier = token[12:]
    assert invitation.selector == token[:12]
    assert invitation.token_hash == hashlib.sha256(verifier.encode()).hexdigest()
    # Neither the token nor its secret part is in any column of the row, nor in the outbox.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM contacts_invitation WHERE id = %s", [invitation.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT kwargs::text FROM portal_outboxmessage")
        row += " ".join(str(r[0]) for r in cursor.fetchall())
    assert verifier not in row and token not in row


def test_expiry_follows_the_setting(world, settings, send):
    settings.TANDEM_INVITATION_DAYS = 3
    invitation, _token = send(_invite, world)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_accepting_sets_the_password_activates_and_the_link_then_says_used(world, send):
    invitation, token = send(_invite, world)
    user = services.accept_invitation(token, PASSWORD)
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AccessLog.objects.filter(activity="invitation_accepted", user=user).exists()
    with pytest.raises(InvitationInvalid) as exc:
        services.accept_invitation(token, "Een-ander-wachtwoord-99!")
    assert exc.value.reason == "used"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_expired_link_is_refused_and_changes_nothing(world, send):
    invitation, token = send(_invite, world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=invitation.created_at - datetime.timedelta(seconds=1)
    )
    with pytest.raises(InvitationInvalid) as exc:
        services.accept_invitation(token, PASSWORD)
    assert exc.value.reason == "expired"
    user = User.objects.get(pk=invitation.user_id)
    assert not user.is_active and not user.has_usable_password()


@pytest.mark.parametrize(
    "forged",
    ["", "kort", "x" * 55, "x" * 500, "abc\x00defghijklmnopqrstuvwxyz", None],
)
def test_a_forged_link_is_invalid(world, send, forged):
    send(_invite, world)
    with pytest.raises(InvitationInvalid) as exc:
        services.accept_invitation(forged, PASSWORD)
    assert exc.value.reason == "invalid"


def test_the_right_selector_with_a_wrong_secret_is_invalid(world, send):
    invitation, token = send(_invite, world)
    wrong = token[:12] + ("A" if token[12] != "A" else "B") + token[13:]
    with pytest.raises(InvitationInvalid) as exc:
        services.accept_invitation(wrong, PASSWORD)
    assert exc.value.reason == "invalid"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_weak_password_is_refused_with_the_validators_messages(world, send):
    invitation, token = send(_invite, world)
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token, "kort")
    assert exc.value.message_dict["password"]
    with pytest.raises(ValidationError):
        services.accept_invitation(token, "Lange-zin\x00met-7-woorden!")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not invitation.user.is_active


def test_resend_invalidates_the_old_link_and_renews_the_expiry(world, send):
    invitation, old = send(_invite, world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=invitation.created_at - datetime.timedelta(days=1)
    )
    resent, new = send(services.resend_invitation, world.user("registry_admin"), invitation)
    assert new != old and resent.times_sent == 2
    resent.refresh_from_db()
    assert resent.expires_at > resent.created_at
    with pytest.raises(InvitationInvalid) as exc:
        services.accept_invitation(old, PASSWORD)
    assert exc.value.reason == "invalid"
    assert services.accept_invitation(new, PASSWORD).is_active


def test_an_accepted_invitation_cannot_be_resent(world, send):
    invitation, token = send(_invite, world)
    services.accept_invitation(token, PASSWORD)
    with pytest.raises(ValidationError):
        services.resend_invitation(world.user("registry_admin"), invitation)


def test_the_email_task_sends_once_however_often_the_outbox_delivers(world, send, mailoutbox):
    from contacts.tasks import send_invitation_email

    invitation, token = send(_invite, world)
    send_invitation_email(invitation.pk)
    assert len(mailoutbox) == 1
    services.accept_invitation(token, PASSWORD)


def test_an_existing_account_gets_the_membership_and_keeps_its_password(world, send):
    existing = world.user("school_coordinator")
    invitation, token = send(
        _invite, world, email=existing.email.upper(), organisation=world.other_school, full_name="X"
    )
    assert invitation.user == existing and existing.memberships.count() == 2
    assert not services.invitation_needs_password(invitation)
    user = services.accept_invitation(token)
    assert user.check_password("correct-horse-battery") and user.full_name != "X"


def test_a_person_may_be_invited_into_a_second_region(world, send):
    other_region = f.RegionFactory(code="OTH", name="Andere regio")
    admin = f.make_member(Role.REGISTRY_ADMIN, other_region, email="beheer@andere.test")
    existing = world.user("school_coordinator")
    invitation, _token = send(
        services.invite_person,
        admin,
        email=existing.email,
        full_name=existing.full_name,
        organisation=other_region,
        role=Role.STEERING_MEMBER,
    )
    assert invitation.user == existing and invitation.membership.region == other_region


def test_an_organisation_of_another_region_is_refused(world):
    other_region = f.RegionFactory(code="OTH", name="Andere regio")
    sub = f.SubregionFactory(code="OTH-A", name="Andere sub", parent=other_region)
    municipality = f.MunicipalityFactory(cbs_code="GM0999", name="Elders", region=sub)
    foreign_school = f.SchoolFactory(brin="99ZZ", municipality=municipality)
    for organisation, role in (
        (foreign_school, Role.SCHOOL_COORDINATOR),
        (municipality, Role.MUNICIPAL_OFFICER),
        (other_region, Role.PRIVACY_OFFICER),
        (sub, Role.STEERING_MEMBER),
    ):
        with pytest.raises(PermissionDenied):
            _invite(world, organisation=organisation, role=role)
    assert not User.objects.filter(email="nieuw@example.test").exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "actor", ["steering_member", "privacy_officer", "school_coordinator", "no_membership", "anonymous"]
)
def test_only_the_registry_administrator_invites(world, actor):
    from django.contrib.auth.models import AnonymousUser

    user = world.user(actor) or AnonymousUser()
    with pytest.raises(PermissionDenied):
        services.invite_person(
            user, email="a@example.test", full_name="A", organisation=world.school, role="school_coordinator"
        )


def test_a_registry_admin_role_elsewhere_does_not_open_a_region_of_another_role(world):
    """An admin in region A who is a school coordinator in region B cannot invite into B."""
    other_region = f.RegionFactory(code="OTH", name="Andere regio")
    sub = f.SubregionFactory(code="OTH-A", name="Andere sub", parent=other_region)
    municipality = f.MunicipalityFactory(cbs_code="GM0999", name="Elders", region=sub)
    foreign_school = f.SchoolFactory(brin="99ZZ", municipality=municipality)
    admin = world.user("registry_admin")
    Membership.objects.create(user=admin, role=Role.SCHOOL_COORDINATOR, school=foreign_school)
    with pytest.raises(PermissionDenied):
        services.invite_person(
            User.objects.get(pk=admin.pk),
            email="b@example.test",
            full_name="B",
            organisation=foreign_school,
            role=Role.SCHOOL_COORDINATOR,
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "geen-adres"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a\x00b@example.test"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"full_name": "Nina\x00"}, "full_name"),
        ({"full_name": "N" * 201}, "full_name"),
        ({"role": "superuser"}, "role"),
        ({"role": Role.DISTRICT_WORKER}, "role"),  # a school cannot hold it
        ({"organisation": None}, "organisation"),
    ],
)
def test_bad_input_gets_a_message_at_the_field_and_changes_nothing(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _invite(world, **overrides)
    assert field in exc.value.message_dict
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email="nieuw@example.test").exists()
    assert not OutboxMessage.objects.exists()


def test_a_duplicate_membership_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _invite(world, email=world.user("school_coordinator").email)
    assert "email" in exc.value.message_dict
    _invite(world)
    with pytest.raises(ValidationError) as exc:
        _invite(world)
    assert "al uitgenodigd" in " ".join(exc.value.message_dict["email"])
    assert Invitation.objects.count() == 1


def test_resend_is_refused_outside_the_region(world):
    invitation = _invite(world)
    other_region = f.RegionFactory(code="OTH", name="Andere regio")
    admin = f.make_member(Role.REGISTRY_ADMIN, other_region, email="beheer@andere.test")
    with pytest.raises(PermissionDenied):
        services.resend_invitation(admin, invitation)
