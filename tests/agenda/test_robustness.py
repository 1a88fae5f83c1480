"""Bad input never answers 500: out-of-range numbers and ids, foreign ids, huge values."""

import pytest
from django.urls import reverse

from agenda.models import Activity
from tests.agenda import factories as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(world):
    agenda = af.AgendaFactory(slug="test", region=world.region)
    ambition = af.AmbitionFactory(agenda=agenda, number=1)
    goal = af.GoalFactory(ambition=ambition, number=1)
    return {"agenda": agenda, "ambition": ambition, "goal": goal}


def test_out_of_range_ids_are_404(client, world, agenda):
    client.force_login(world.user("steering_member"))
    huge = 10**20
    for name in ("agenda:activity", "agenda:activity_edit", "agenda:goal_edit", "agenda:meeting_edit"):
        assert client.get(reverse(name, args=[huge])).status_code == 404, name
    assert client.get(reverse("agenda:meetings_year", args=["test", huge])).status_code == 404


def test_out_of_range_numbers_are_form_errors(client, world, agenda):
    client.force_login(world.user("steering_member"))
    response = client.post(
        reverse("agenda:activity_create", args=["test"]),
        {"ambition": agenda["ambition"].pk, "number": "99999999", "title": "x", "status": "planned"},
    )
    assert response.status_code == 200 and "hoogstens 32767" in response.content.decode()
    response = client.post(
        reverse("agenda:goal_edit", args=[agenda["goal"].pk]),
        {"text": "x", "target_value": "1e20"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "niet meer dan 9 cijfers" in html and 'aria-invalid="true"' in html
    agenda["goal"].refresh_from_db()
    assert agenda["goal"].target_value is None and agenda["goal"].text != "x"
    assert not Activity.objects.exists()


def test_a_concurrent_save_of_the_same_number_is_a_form_error(client, world, agenda, monkeypatch):
    from django.db import IntegrityError

    from agenda import services

    def racing_save(user, agenda, form):
        af.ActivityFactory(ambition=form.cleaned_data["ambition"], number=form.cleaned_data["number"])
        raise IntegrityError("activity_unique_number")

    monkeypatch.setattr(services, "save_activity", racing_save)
    client.force_login(world.user("steering_member"))
    response = client.post(
        reverse("agenda:activity_create", args=["test"]),
        {"ambition": agenda["ambition"].pk, "number": "4", "title": "x", "status": "planned"},
    )
    assert response.status_code == 200
    assert "heeft al dit nummer" in response.content.decode()
