"""The transition table declares every referral action once (ADR 0054): complete entries, the
referral page offers each action exactly to its side, and a new action is its entry plus its
service — the view and the permissions need no change."""

import inspect

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

from portal.models import Notification
from referrals import forms as rf
from referrals import permissions as perms
from referrals import services
from referrals.models import ReferralEvent, Status
from referrals.workflow import (
    ACTIONS,
    ESCALATIONS,
    SAME,
    SCHOOL,
    SIDES,
    SYSTEM,
    TEAM,
    Action,
    Notice,
    performs,
    transition,
)
from tests.contacts.factories import arrangement_of
from tests.helpers.world import ACTORS
from tests.referrals.factories import PATHS, referral_in

# The side each actor of the world acts for on world.school's referrals.
SIDE_OF = {"school_coordinator": SCHOOL, "district_worker": TEAM}


def _keywords(service):
    """The service's parameters after (user, referral)."""
    return list(inspect.signature(service).parameters)[2:]


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_entry_is_complete(name):
    action = ACTIONS[name]
    assert action.name == name
    assert action.side in SIDES
    assert str(action.label)
    assert action.sources and set(action.sources) <= set(Status)
    assert action.target in (None, SAME, *Status)
    if action.notice is not None:
        assert isinstance(action.notice, Notice)
        assert services.NOTICES[action.notice.kind] == (action.notice.subject, action.notice.body)
    if action.side == ESCALATIONS:
        # Performed by the escalations app under its own rules, not from the referral page.
        assert action.form is None and action.button is None
        return
    assert callable(action.service)
    assert list(inspect.signature(action.service).parameters)[:2] == ["user", "referral"]
    if action.form is None:
        assert action.button is None
        assert not _keywords(action.service)  # nothing to fill in (submit has its own view)
        return
    assert issubclass(action.form, forms.BaseForm) and issubclass(action.form, rf.ActionFormMixin)
    assert str(action.button)
    # The form's cleaned data are the service's keywords: service(user, referral, **cleaned_data).
    assert set(action.form.base_fields) == set(_keywords(action.service)), name


def test_each_side_has_its_actions_and_the_flow_is_covered():
    by_side = {side: {n for n, a in ACTIONS.items() if a.side == side} for side in SIDES}
    assert by_side[SCHOOL] == {"submit", "resubmit", "withdraw"}
    assert by_side[TEAM] == {
        "take_up",
        "return",
        "accept",
        "accept_arrangement",
        "decline",
        "start_help",
        "close",
        "assign",
    }
    assert by_side[ESCALATIONS] == {"escalate", "resume", "mediation_settled"}
    assert by_side[SYSTEM] == {"lapse"}
    assert {n for n, a in ACTIONS.items() if a.open} == {"take_up", "resubmit", "start_help"}


def test_a_service_is_bound_once():
    with pytest.raises(ImproperlyConfigured):
        performs("accept")(lambda user, referral: None)
    performs("accept")(services.accept)  # binding the same function again is harmless
    assert ACTIONS["accept"].service is services.accept
    with pytest.raises(KeyError):
        performs("no_such_action")


def _offered(client, referral):
    """The actions the referral page offers as a form, or None when the page is not there."""
    response = client.get(reverse("referrals:detail", args=[referral.uuid]))
    if response.status_code != 200:
        return None
    html = response.content.decode()
    return {name for name in ACTIONS if reverse("referrals:act", args=[referral.uuid, name]) in html}


@pytest.mark.django_db
def test_the_referral_page_offers_each_action_exactly_to_its_side(client, world):
    offered_somewhere = set()
    arrangement_of(world)  # the school's collective arrangement: its route is offered too (ADR 0161)
    for status in PATHS:
        referral = referral_in(world, status)
        for actor in ACTORS:
            user = world.user(actor)
            if user is None:
                continue
            client.force_login(user)
            offered = _offered(client, referral)
            if offered is None:
                continue
            expected = {
                name
                for name, action in ACTIONS.items()
                if action.form is not None
                and action.side == SIDE_OF.get(actor)
                and referral.status in action.sources
                and action.is_available(referral)
            }
            assert offered == expected, (status, actor)
            assert set(perms.allowed_actions(user, referral)) >= offered
            offered_somewhere |= offered
    assert offered_somewhere == {name for name, action in ACTIONS.items() if action.form is not None}


class HandBackForm(rf.ActionForm):
    prefix = "hand_back"
    reason = forms.CharField(label="Why", max_length=200)


def hand_back(user, referral, *, reason):
    """A throwaway service: permission, transition, notice — like the real ones."""
    if not perms.may_perform(user, referral, "hand_back"):
        raise PermissionDenied
    referral = transition(referral, "hand_back", user, note=reason, assigned_to=None)
    services.send_action_notice(services.team_users(referral), "hand_back", referral)
    return referral


@pytest.mark.django_db
def test_a_new_action_is_its_entry_and_its_service(client, world, monkeypatch):
    """Hand a referral back to the team's inbox: declared in the table and bound to its
    service, it works through the real page and URL without touching views or permissions."""
    monkeypatch.setitem(
        ACTIONS,
        "hand_back",
        Action(
            "hand_back",
            TEAM,
            (Status.IN_TRIAGE,),
            Status.SUBMITTED,
            "handed back to the inbox",
            button="Hand back to the inbox",
            form=HandBackForm,
            notice=ACTIONS["submit"].notice,
        ),
    )
    performs("hand_back")(hand_back)
    referral = referral_in(world, "in_triage")
    worker, coordinator = world.user("district_worker"), world.user("school_coordinator")
    url = reverse("referrals:act", args=[referral.uuid, "hand_back"])

    client.force_login(coordinator)
    assert "hand_back" not in _offered(client, referral)
    assert client.post(url, {"hand_back-reason": "x"}).status_code == 403

    client.force_login(worker)
    assert "hand_back" in _offered(client, referral)
    invalid = client.post(url, {"hand_back-reason": ""})
    assert invalid.status_code == 200 and 'aria-invalid="true"' in invalid.content.decode()
    notices = Notification.objects.filter(user=worker, kind="referral_submitted").count()
    response = client.post(url, {"hand_back-reason": "Past beter bij een collega"}, follow=True)
    html = response.content.decode()
    assert "Gedaan: Hand back to the inbox." in html
    assert "Handed back to the inbox" in html  # the timeline's words
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED and referral.assigned_to is None
    event = ReferralEvent.objects.get(referral=referral, action="hand_back")
    assert (event.from_status, event.to_status, event.note) == (
        "in_triage",
        "submitted",
        "Past beter bij een collega",
    )
    assert Notification.objects.filter(user=worker, kind="referral_submitted").count() == notices + 1
    assert "take_up" in _offered(client, referral) and "hand_back" not in _offered(client, referral)

    again = client.post(url, {"hand_back-reason": "Nog eens"}, follow=True)
    assert "iemand anders er net iets mee gedaan" in again.content.decode()  # someone was first
