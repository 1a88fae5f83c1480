"""Escalation pages: query counts pinned, access logged, bad input answered next to the field."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from escalations import services
from escalations.models import Decision, Escalation, Precedent
from portal.models import AccessLog, Notification
from referrals.models import Status
from tests.escalations.fixtures import (
    decide,
    decided_escalation,
    escalatable_referral_in,
    open_escalation,
    published_precedent,
    referral_in,
)
from tests.helpers.queries import assert_queries_pinned, count_queries

pytestmark = pytest.mark.django_db


def _login(client, world, actor):
    client.force_login(world.user(actor))


@pytest.mark.parametrize("actor", ["partnership_director", "municipal_officer", "district_worker"])
def test_inbox_query_count_does_not_grow(world, client, actor):
    _login(client, world, actor)
    url = reverse("escalations:inbox")

    def add(n):
        for _ in range(n):
            open_escalation(world)
            decided_escalation(world)

    add(1)
    count, _queries = count_queries(client, url)
    assert count <= 8
    assert_queries_pinned(client, url, add, expected=count)
    response = client.get(url)
    assert response.content.decode().count('href="/opschaling/') >= 22


def test_inbox_shows_open_and_recently_decided_and_nothing_foreign(world, client):
    mine = open_escalation(world)
    decided = decided_escalation(world)
    foreign = referral_in(
        world, "in_triage", school=world.other_school, home_municipality=world.other_municipality
    )
    open_escalation(world, foreign, actor="district_worker")
    # A name no generated professional on the page can share.
    type(mine.referral).objects.filter(pk=mine.referral.pk).update(child_last_name="Quakkelsteijn")
    mine.referral.refresh_from_db()
    _login(client, world, "partnership_director")
    html = client.get(reverse("escalations:inbox")).content.decode()
    assert mine.referral.reference in html and decided.referral.reference in html
    assert foreign.reference not in html
    assert mine.referral.child_last_name not in html


def test_library_query_count_does_not_grow(world, client):
    _login(client, world, "partnership_director")
    url = reverse("escalations:precedents")

    def add(n):
        for _ in range(n):
            published_precedent(world.user("partnership_director"), domains=("behaviour", "learning"))
            decided_escalation(world)  # a draft for this director's review list

    add(1)
    count, _queries = count_queries(client, url)
    assert count <= 10
    assert_queries_pinned(client, url, add, expected=count)
    assert_queries_pinned(client, url + "?q=klas&reason=grey_funding", add, expected=count)
    assert client.get(url).content.decode().count("Begeleiding in de klas bij gedrag") == 23


def test_detail_logs_the_read_while_open_and_hides_the_positions_from_deciders_after(world, client):
    escalation = open_escalation(world)
    # A name no generated professional on the page can share.
    type(escalation.referral).objects.filter(pk=escalation.referral.pk).update(child_first_name="Zwaantje")
    escalation.referral.refresh_from_db()
    _login(client, world, "partnership_director")
    url = reverse("escalations:detail", args=[escalation.pk])
    html = client.get(url).content.decode()
    assert "De school vindt dat" in html
    entry = AccessLog.objects.get()
    assert (entry.user, entry.role, entry.object_reference) == (
        world.user("partnership_director"),
        "partnership_director",
        escalation.referral.reference,
    )
    assert escalation.referral.child_first_name not in html
    decide(world, escalation)
    html = client.get(url).content.decode()
    assert "De school vindt dat" not in html
    # The decision record is the deciders' own: they see it, and the view is logged (ADR 0116).
    assert "Ambulante begeleiding" in html and "de Jeugdwet is leidend" in html
    assert AccessLog.objects.count() == 2
    _login(client, world, "district_worker")
    html = client.get(url).content.decode()
    assert "Ambulante begeleiding" in html and "De school vindt dat" in html
    assert AccessLog.objects.count() == 3


DECISION_RECORD = (
    "Decided by",
    "Who carries it",
    "To be carried out by",
    "What help",
    "Rationale",
    "Ambulante begeleiding in de klas, twee dagdelen per week.",
    "Het gaat om gedrag thuis en op school; de Jeugdwet is leidend.",
)


@pytest.mark.parametrize(
    "actor", ["school_coordinator", "district_worker", "partnership_director", "municipal_officer"]
)
def test_every_party_and_decider_sees_the_whole_decision_record(world, client, actor):
    escalation = decided_escalation(world)
    # A name no generated professional can share (Faker gave a school user the same first name).
    type(escalation.referral).objects.filter(pk=escalation.referral.pk).update(child_first_name="Zwaantje")
    escalation.referral.refresh_from_db()
    _login(client, world, actor)
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(reverse("escalations:detail", args=[escalation.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in DECISION_RECORD:
        assert text in html, f"{actor} does not see {text!r}"
    assert escalation.referral.child_first_name not in html
    entry = AccessLog.objects.get(user=world.user(actor))
    assert entry.object_reference == escalation.referral.reference


def test_a_foreign_decider_sees_no_decision_record(world, client):
    escalation = decided_escalation(world)
    _login(client, world, "other_municipal_officer")
    response = client.get(reverse("escalations:detail", args=[escalation.pk]))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(user=world.user("other_municipal_officer")).exists()


def test_raise_shows_similar_published_precedents_first_and_refreshes_with_htmx(world, client):
    director = world.user("partnership_director")
    funding = published_precedent(director, title="Financiering dyslexie", reason="grey_funding", domains=())
    capacity = published_precedent(director, title="Wachtlijst", reason="capacity", domains=())
    referral = escalatable_referral_in(world, "submitted", domains=("learning",))
    _login(client, world, "school_coordinator")
    url = reverse("escalations:raise", args=[referral.uuid])
    html = client.get(url, {"reason": "capacity"}).content.decode()
    assert html.index("Wachtlijst") < html.index("Financiering dyslexie")
    partial = client.get(url, {"reason": "grey_funding"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.index(funding.title) < partial.index(capacity.title)
    assert 'hx-get="' in html and 'hx-target="#similar-precedents"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "grey_funding", "position": "a\x00b"},
        {"reason": "grey_funding", "position": "x" * 6000},
        {"reason": "nonsense", "position": "ok"},
        {"reason": "", "position": ""},
        # The reason also picks the similar precedents shown beside the form (found by make scan).
        {"reason": "a\x00b", "position": "ok"},
        {"reason": "x" * 10_000, "position": "ok"},
    ],
)
def test_raise_refuses_bad_input_without_changing_anything(world, client, data):
    referral = escalatable_referral_in(world, "submitted")
    _login(client, world, "school_coordinator")
    response = client.post(reverse("escalations:raise", args=[referral.uuid]), data)
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED and not Escalation.objects.exists()


@pytest.mark.parametrize("reason", ["a\x00b", "capacity\x00", "' OR '1'='1", "x" * 10_000])
def test_raise_page_with_a_hostile_reason_in_the_query_ignores_it(world, client, reason):
    """?reason= (the htmx refresh of the similar precedents) that is no valid reason is
    ignored, never a 500 (PostgreSQL refuses NUL characters in a query parameter)."""
    director = world.user("partnership_director")
    published_precedent(director, title="Precedent-capaciteit-Q7", reason="capacity", domains=())
    referral = escalatable_referral_in(world, "submitted")
    _login(client, world, "school_coordinator")
    url = reverse("escalations:raise", args=[referral.uuid])
    assert "Precedent-capaciteit-Q7" in client.get(url, {"reason": "capacity"}).content.decode()
    plain = "Precedent-capaciteit-Q7" in client.get(url).content.decode()
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(url, {"reason": reason}, **headers)
        assert response.status_code == 200
        assert ("Precedent-capaciteit-Q7" in response.content.decode()) == plain


def test_raise_success_and_raise_again_redirects_to_the_open_escalation(world, client):
    referral = referral_in(world, "accepted")
    _login(client, world, "district_worker")
    url = reverse("escalations:raise", args=[referral.uuid])
    response = client.post(url, {"reason": "capacity", "position": "Wachtlijst van 12 weken."})
    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response.url == reverse("escalations:detail", args=[escalation.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url == reverse("escalations:detail", args=[escalation.pk])


def test_a_raise_by_someone_browsing_in_english_notifies_in_dutch(world, client):
    """Escalation notices take the same path as referral notices: the site's language."""
    referral = escalatable_referral_in(world, "in_triage")
    _login(client, world, "school_coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("escalations:raise", args=[referral.uuid]))
    assert page.headers["Content-Language"] == "en"
    client.post(
        reverse("escalations:raise", args=[referral.uuid]),
        {"reason": "grey_funding", "position": "De school vindt dit jeugdhulp."},
    )
    assert Escalation.objects.filter(referral=referral).exists()
    with translation.override("nl"):
        dutch = str(services.NOTICES["escalation_raised"][0])
    with translation.override("en"):
        english = str(services.NOTICES["escalation_raised"][0])
    assert dutch != english
    notice = Notification.objects.get(user=world.user("partnership_director"))
    ref = referral.reference
    assert notice.subject == f"{ref} · {dutch}"
    with translation.override("nl"):
        assert notice.body == f"{ref}: " + str(services.NOTICES["escalation_raised"][1])


def _decide_data(world, **overrides):
    data = {
        "agreed_by": world.user("municipal_officer").pk,
        "help": "Begeleiding in de klas",
        "carried_by": "youth_care",
        "split": "",
        "rationale": "Thuissituatie is leidend",
        "carry_out_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "next_step": "assign",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        {"agreed_by": "other"},  # a foreign decider
        {"agreed_by": "999999"},
        {"agreed_by": "self"},
        {"carry_out_by": "2026-02-31"},
        {"carry_out_by": "2001-01-01"},
        {"carry_out_by": "2099-01-01"},
        {"carried_by": "shared", "split": ""},
        {"carried_by": "everyone"},
        {"help": "\x00"},
        {"rationale": "y" * 6000},
        {"next_step": "close"},
    ],
)
def test_decide_refuses_bad_input_without_changing_anything(world, client, overrides):
    escalation = open_escalation(world)
    if overrides.get("agreed_by") == "other":
        overrides["agreed_by"] = world.user("other_municipal_officer").pk
    if overrides.get("agreed_by") == "self":
        overrides["agreed_by"] = world.user("partnership_director").pk
    _login(client, world, "partnership_director")
    response = client.post(
        reverse("escalations:decide", args=[escalation.pk]), _decide_data(world, **overrides)
    )
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.state == "open" and not Decision.objects.exists()


def test_decide_through_the_form(world, client):
    escalation = open_escalation(world)
    _login(client, world, "municipal_officer")
    response = client.post(
        reverse("escalations:decide", args=[escalation.pk]),
        _decide_data(
            world, agreed_by=world.user("partnership_director").pk, carried_by="shared", split="50/50"
        ),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.decided_by, decision.agreed_by, decision.split) == (
        world.user("municipal_officer"),
        world.user("partnership_director"),
        "50/50",
    )
    escalation.referral.refresh_from_db()
    assert escalation.referral.status == Status.ACCEPTED


def test_position_form(world, client):
    escalation = open_escalation(world)
    _login(client, world, "district_worker")
    url = reverse("escalations:position", args=[escalation.pk])
    assert client.post(url, {"position": " "}).status_code == 200
    assert client.post(url, {"position": "Het wijkteam ziet dit als onderwijs."}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.other_position == "Het wijkteam ziet dit als onderwijs."


def _edit_data(**overrides):
    data = {
        "title": "Gedrag in de klas",
        "reason": "grey_funding",
        "domains": ["behaviour"],
        "school_type": "po",
        "age_band": "8-11",
        "summary": "Een leerling met gedragsproblemen.",
        "outcome": "Begeleiding in de klas.",
        "carried_by": "youth_care",
        "split": "",
        "rationale": "Jeugdwet leidend.",
        "reviewed": "on",
        "publish": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_publishing_through_the_form_refuses_the_childs_name_next_to_the_field(world, client):
    escalation = decided_escalation(world)
    precedent = Precedent.objects.get(decision__escalation=escalation)
    first = escalation.referral.child_first_name
    _login(client, world, "partnership_director")
    url = reverse("escalations:precedent_edit", args=[precedent.pk])
    response = client.post(url, _edit_data(summary=f"{first} slaat andere kinderen."))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_summary_error"' in html
    precedent.refresh_from_db()
    assert precedent.status == "draft" and precedent.summary == ""
    response = client.post(url, _edit_data(reviewed=""))
    assert 'id="id_reviewed_error"' in response.content.decode()
    assert client.post(url, _edit_data(publish=None, save="1", reviewed="")).status_code == 302
    precedent.refresh_from_db()
    assert precedent.title == "Gedrag in de klas" and precedent.status == "draft"
    response = client.post(url, _edit_data())
    assert response.status_code == 302
    precedent.refresh_from_db()
    assert precedent.status == "published"
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "actor", ["school_coordinator", "district_worker", "steering_member", "municipal_officer"]
)
def test_every_professional_role_searches_and_filters_the_library(world, client, actor):
    director = world.user("partnership_director")
    hit = published_precedent(director, title="Dyslexiezorg", reason="grey_funding", domains=("learning",))
    miss = published_precedent(
        director, title="Wachtlijst jeugd-GGZ", reason="capacity", domains=("behaviour",)
    )
    _login(client, world, actor)
    url = reverse("escalations:precedents")
    for params in (
        {"q": "financiering"},  # the Dutch label of the reason
        {"q": "dyslexie"},
        {"reason": "grey_funding"},
        {"domain": "learning"},
        {"q": "leren", "carried_by": "shared", "school_type": "po", "age_band": "8-11"},
    ):
        html = client.get(url, params).content.decode()
        assert hit.title in html and miss.title not in html, params
    response = client.get(url, {"reason": "bogus", "q": "x" * 300})
    assert response.status_code == 200 and "utrecht-form-field-error-message" in response.content.decode()
    detail = client.get(reverse("escalations:precedent", args=[hit.pk])).content.decode()
    assert miss.title in detail  # linked as similar (same school type and age band)


def test_library_and_inbox_show_25_rows_and_a_next_page_link(world, client):
    _login(client, world, "partnership_director")
    for _ in range(26):
        published_precedent(world.user("partnership_director"))
        open_escalation(world)
    url = reverse("escalations:precedents")
    html = client.get(url).content.decode()
    assert 'aria-label="' in html and "pagina=2" in html
    second = client.get(url + "?pagina=2").content.decode()
    assert "pagina=1" in second and "pagina=3" not in second
    assert client.get(url + "?pagina=x").status_code == 200
    inbox = client.get(reverse("escalations:inbox")).content.decode()
    assert "open=2" in inbox and "besloten=2" not in inbox
    assert "open=1" in client.get(reverse("escalations:inbox") + "?open=2").content.decode()
