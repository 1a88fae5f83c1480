"""The access log speaks Dutch: roles by their names, objects by their kind and reference; an
action is logged once with its kind, and the page its redirect leads to is not a second "read"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit import AFTER_ACTION_KEY, log_access
from portal.models import AccessLog
from referrals.models import ListedReference
from referrals.views import LIST_OBJECT_TYPE
from tests.escalations.fixtures import open_escalation
from tests.helpers.queries import assert_queries_pinned, count_queries
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db


def _rows(html):
    """The text of each cell of the log's table, per row."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _log_page(client, world):
    client.force_login(world.user("privacy_officer"))
    response = client.get(reverse("security:access_log"))
    assert response.status_code == 200
    return response.content.decode()


def test_roles_and_objects_in_words(world, client):
    referral = referral_in(world, "in_triage")
    worker = world.user("district_worker")
    log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker", organisation="Team")
    listed = log_access(
        worker, AccessLog.Action.VIEW, role="district_worker", object_type=LIST_OBJECT_TYPE, object_id="inbox"
    )
    ListedReference.objects.create(entry=listed, referral_pk=referral.pk, reference=referral.reference)
    html = _log_page(client, world)
    rows = _rows(html)
    # Newest first: the list read, the referral read (the officer's own read comes after).
    assert rows[0][2:6] == ["Wijkteammedewerker", "", "ingezien", "Lijst met aanmeldingen triage-inbox"]
    assert rows[0][6] == referral.reference
    assert rows[1][2:6] == ["Wijkteammedewerker", "Team", "ingezien", f"Aanmelding {referral.reference}"]
    cells = [cell for row in rows for cell in row[2:]]  # all but the time and the e-mail address
    for code in ("district_worker", "referrals.referral", "portal.accesslog", "referral_list"):
        assert not [cell for cell in cells if code in cell], code


def test_the_officers_own_reads_name_the_access_log(world, client):
    _log_page(client, world)
    rows = _rows(_log_page(client, world))
    assert rows[0][2:6] == ["Privacy officer (FG)", "", "ingezien", "Toegangslog"]


def test_an_action_is_logged_once_with_its_kind_and_its_redirect_is_not_a_read(world, client):
    referral = referral_in(world, "submitted")
    worker = world.user("district_worker")
    client.force_login(worker)
    url = reverse("referrals:act", args=[referral.uuid, "take_up"])
    response = client.post(url, {"take_up-assignee": worker.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("referrals:detail", args=[referral.uuid])
    entries = list(
        AccessLog.objects.filter(user=worker).values_list("action", "activity", "object_reference")
    )
    assert entries == [("change", "take_up", referral.reference)]
    # A later visit of the same page is a read again.
    client.get(reverse("referrals:detail", args=[referral.uuid]))
    assert AccessLog.objects.filter(user=worker, action="view").count() == 1
    rows = _rows(_log_page(client, world))
    assert ["Wijkteammedewerker", "actie uitgevoerd: opgepakt"] == [rows[1][2], rows[1][4]]


def test_a_message_is_an_action_too(world, client):
    referral = referral_in(world, "in_triage")
    coordinator = world.user("school_coordinator")
    client.force_login(coordinator)
    url = reverse("referrals:message", args=[referral.uuid])
    client.post(url, {"message-body": "Graag overleg."}, follow=True)
    assert list(AccessLog.objects.filter(user=coordinator).values_list("action", "activity")) == [
        ("change", "message_posted")
    ]


def test_a_refused_action_sets_no_marker_and_the_next_read_is_logged(world, client):
    referral = referral_in(world, "in_triage")
    coordinator = world.user("school_coordinator")
    client.force_login(coordinator)
    response = client.post(reverse("referrals:message", args=[referral.uuid]), {"message-body": ""})
    assert response.status_code == 200 and AFTER_ACTION_KEY not in client.session
    client.get(reverse("referrals:detail", args=[referral.uuid]))
    assert list(AccessLog.objects.filter(user=coordinator).values_list("action", flat=True)) == ["view"]


def test_the_marker_only_spares_the_page_it_names_and_only_once(world, client):
    first, second = referral_in(world, "in_triage"), referral_in(world, "in_triage")
    coordinator = world.user("school_coordinator")
    client.force_login(coordinator)
    client.post(reverse("referrals:message", args=[first.uuid]), {"message-body": "Vraag."})  # not followed
    client.get(reverse("referrals:detail", args=[second.uuid]))  # another page: a read
    client.get(reverse("referrals:detail", args=[first.uuid]))  # marker used up: a read
    views = AccessLog.objects.filter(user=coordinator, action="view")
    assert sorted(views.values_list("object_reference", flat=True)) == sorted(
        [first.reference, second.reference]
    )


def test_a_stale_marker_spares_nothing(world, client):
    referral = referral_in(world, "in_triage")
    coordinator = world.user("school_coordinator")
    client.force_login(coordinator)
    session = client.session
    path = reverse("referrals:detail", args=[referral.uuid])
    session[AFTER_ACTION_KEY] = {"path": path, "at": timezone.now().timestamp() - 3600}
    session.save()
    client.get(path)
    assert AccessLog.objects.filter(user=coordinator, action="view").count() == 1


def test_a_decision_is_logged_once_as_an_action(world, client):
    escalation = open_escalation(world)
    director = world.user("partnership_director")
    client.force_login(director)
    data = {
        "agreed_by": world.user("municipal_officer").pk,
        "help": "Begeleiding in de klas",
        "carried_by": "youth_care",
        "split": "",
        "rationale": "Thuissituatie is leidend",
        "carry_out_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "next_step": "assign",
    }
    response = client.post(reverse("escalations:decide", args=[escalation.pk]), data, follow=True)
    assert response.status_code == 200 and "Thuissituatie is leidend" in response.content.decode()
    entries = list(AccessLog.objects.filter(user=director).values_list("action", "activity", "role"))
    assert entries == [("change", "escalation_decided", "partnership_director")]
    rows = _rows(_log_page(client, world))
    assert rows[0][2] == "Directeur samenwerkingsverband" and rows[0][4].endswith("besluit vastgelegd")


def test_query_count_is_pinned_whatever_the_kinds_of_rows(world, client):
    worker = world.user("district_worker")
    referral = referral_in(world, "in_triage")
    attachment_type = "referrals.attachment"
    client.force_login(world.user("privacy_officer"))
    url = reverse("security:access_log")
    client.get(url)  # warm caches

    def add(n):
        for i in range(n):
            log_access(worker, AccessLog.Action.VIEW, referral, role="district_worker")
            log_access(
                worker,
                AccessLog.Action.DOWNLOAD,
                role="district_worker",
                object_type=attachment_type,
                object_id=str(i),
                reference=referral.reference,
            )
            log_access(worker, AccessLog.Action.CHANGE, referral, role="district_worker", activity="accept")
            entry = log_access(
                worker, AccessLog.Action.SEARCH, object_type=LIST_OBJECT_TYPE, object_id="inbox"
            )
            ListedReference.objects.create(entry=entry, referral_pk=referral.pk, reference=referral.reference)

    expected, _queries = count_queries(client, url)
    assert_queries_pinned(client, url, add, expected)
    # Session, user, memberships, count, page, prefetched references, the officer's own row.
    assert expected <= 12, expected


def test_a_list_read_names_each_listed_referral_and_a_draft_by_its_id(world, client):
    submitted = referral_in(world, "submitted")
    draft = referral_in(world, "draft")
    worker = world.user("school_coordinator")
    listed = log_access(
        worker,
        AccessLog.Action.VIEW,
        role="school_coordinator",
        object_type=LIST_OBJECT_TYPE,
        object_id="list",
    )
    ListedReference.objects.create(entry=listed, referral_pk=submitted.pk, reference=submitted.reference)
    ListedReference.objects.create(entry=listed, referral_pk=draft.pk, reference="")
    rows = _rows(_log_page(client, world))
    assert rows[0][6] == f"{submitted.reference}, #{draft.pk}"
