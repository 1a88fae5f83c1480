import pytest
from django.urls import reverse

from tests.contacts.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,password",
    [
        ("", ""),
        ("ib@example.test", ""),
        ("ib\x00@example.test", "secret"),
        ("ib@example.test", "pass\x00word"),
        ("x" * 10_000, "y" * 10_000),
        ("ib@example.test", "z" * 10_000),
    ],
    ids=["empty", "no-password", "nul-username", "nul-password", "10k-both", "10k-password"],
)
def test_bad_login_input_gives_a_form_error_not_a_500(client, username, password):
    UserFactory(email="ib@example.test")
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_email_in_any_case(client):
    user = UserFactory(email="ib@example.test")
    response = client.post(
        reverse("login"), {"username": "IB@Example.test", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_home_lists_each_membership(client, world):
    from contacts.models import Membership

    user = world.user("school_coordinator")
    Membership.objects.create(user=user, role="steering_member", region=world.region)
    client.force_login(user)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert world.school.name in content
    assert "Testregio" in content


def test_session_cookie_is_httponly_and_samesite(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    # The idle timeout restarts on each request, the save at most a minute late (ADR 0172).
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60


@pytest.mark.django_db
def test_dutch_by_default_even_for_an_english_browser_and_english_on_request(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Inloggen bij Tandem" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in to Tandem" in client.get(reverse("login")).content.decode()
