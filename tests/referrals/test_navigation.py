import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "actor,present,absent",
    [
        ("school_coordinator", ["Aanmeldingen", "Meldingen", "Nieuwe aanmelding"], ["Triage-inbox"]),
        ("district_worker", ["Triage-inbox", "Meldingen"], ["Nieuwe aanmelding"]),
        ("steering_member", ["Meldingen"], ["Triage-inbox", "Nieuwe aanmelding"]),
    ],
)
def test_nav_and_home_entry_points_per_role(client, world, actor, present, absent):
    client.force_login(world.user(actor))
    html = client.get(reverse("home")).content.decode()
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text
    assert reverse("notifications:unread_badge") in html  # the badge loads itself with htmx
