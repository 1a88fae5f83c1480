"""A mediator's own list (ADR 0162): the mediations they were asked for, open and closed, by the
referral's reference only; reached from the menu and the home page of whoever is or was named
mediator; its number of queries does not grow with its rows."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from escalations import services
from escalations.models import Mediation
from referrals.models import Referral
from tests.escalations.fixtures import named_mediator, open_mediation, recorded_mediation, referral_in
from tests.helpers.queries import assert_queries_pinned, count_queries

pytestmark = pytest.mark.django_db

URL = "/opschaling/bemiddeling/mijn/"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_the_url():
    assert reverse("escalations:my_mediations") == URL


def test_the_list_shows_open_and_closed_mediations_without_case_data(world, client):
    waiting = open_mediation(world)
    done = recorded_mediation(world, settled=False)
    Referral.objects.filter(pk=waiting.referral_id).update(
        child_first_name="Zwaantje", child_last_name="Quak"
    )
    other = open_mediation(world, mediator_actor="partnership_director")  # somebody else's
    client.force_login(world.user("steering_member"))
    html = client.get(URL).content.decode()
    assert waiting.referral.reference in html and done.referral.reference in html
    assert other.referral.reference not in html
    assert html.index(waiting.referral.reference) < html.index(done.referral.reference)  # open first
    assert "Gevraagd, nog geen uitkomst" in html and "Niet opgelost" in html
    assert reverse("escalations:mediation", args=[waiting.pk]) in html
    for secret in ("Zwaantje", "Quak", "Wie betaalt de begeleiding", "Afgesproken met beide partijen"):
        assert secret not in html


def test_a_former_mediator_keeps_the_list_and_others_are_refused(world, client):
    mediation = open_mediation(world)
    services.end_mediator(world.user("registry_admin"), mediation.mediator)
    client.force_login(world.user("steering_member"))
    assert client.get(URL).status_code == 200
    for actor in ("school_coordinator", "partnership_director", "registry_admin"):
        client.force_login(world.user(actor))
        assert client.get(URL).status_code == 403, actor


def test_menu_and_home_page_lead_mediators_there(world, client):
    open_mediation(world)
    open_mediation(world, referral_in(world, "in_triage"), actor="district_worker")
    client.force_login(world.user("steering_member"))
    response = client.get(reverse("home"))
    assert "escalations:my_mediations" in [item["url_name"] for item in response.context["nav_items"]]
    assert [b["heading"] for b in response.context["personal"]] == ["Bemiddelaar"]
    assert "2 bemiddelingen wachten op uw uitkomst" in response.content.decode()
    client.force_login(world.user("partnership_director"))
    response = client.get(reverse("home"))
    assert URL not in response.content.decode() and response.context["personal"] == []


def test_the_query_count_is_pinned(world, client):
    named_mediator(world)
    client.force_login(world.user("steering_member"))

    def add(n):
        for i in range(n):
            mediation = open_mediation(world, referral_in(world, "in_triage"))
            if i % 2:
                recorded_mediation(world, settled=False, mediation=mediation)

    add(1)
    count, _queries = count_queries(client, URL)
    assert count <= 10
    assert_queries_pinned(client, URL, add, expected=count)
    links = re.findall(r'href="/opschaling/bemiddeling/\d+/"', client.get(URL).content.decode())
    assert len(links) == Mediation.objects.count()
