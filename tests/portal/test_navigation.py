"""The navigation and the home page: apps register their entries in AppConfig.ready()
(portal/navigation.py, portal/home.py); the order is pinned here, and a url name that does
not exist fails the system check instead of silently hiding an entry."""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from portal import home, navigation
from portal.checks import check_registered_url_names

ROOT = Path(__file__).resolve().parents[2]

DIRECTOR_NAV = [
    "home",
    "contacts:directory",
    "contacts:coverage",
    "agenda:index",
    "notifications:list",
    "reporting:dashboard",
    "reporting:report_list",
    "reporting:published_list",
    "reporting:startfoto",
    "escalations:inbox",
    "escalations:precedents",
]
NAV = {
    "school_coordinator": [
        "home",
        "contacts:directory",
        "agenda:index",
        "referrals:list",
        "notifications:list",
        "reporting:published_list",
        "reporting:startfoto",
        "escalations:precedents",
    ],
    "district_worker": [
        "home",
        "contacts:directory",
        "agenda:index",
        "referrals:inbox",
        "notifications:list",
        "reporting:published_list",
        "reporting:startfoto",
        "escalations:precedents",
    ],
    "partnership_director": DIRECTOR_NAV,
    "municipal_officer": DIRECTOR_NAV,
    "steering_member": [
        "home",
        "contacts:directory",
        "contacts:coverage",
        "contacts:norms",
        "agenda:index",
        "notifications:list",
        "reporting:dashboard",
        "reporting:report_list",
        "reporting:published_list",
        "reporting:startfoto",
        "escalations:precedents",
    ],
    "registry_admin": [
        "home",
        "contacts:directory",
        "contacts:coverage",
        "contacts:norms",
        "contacts:theme",
        "agenda:index",
        "notifications:list",
        "reporting:published_list",
        "reporting:startfoto",
    ],
    "privacy_officer": [
        "home",
        "contacts:directory",
        "agenda:index",
        "notifications:list",
        "reporting:published_list",
        "reporting:startfoto",
        "security:access_log",
        "security:subject_access",
        "security:register",
        "security:request_list",
        "security:breach_list",
    ],
    "no_membership": [],
}

DIRECTOR_HOME = [
    "contacts:directory",
    "contacts:coverage",
    "escalations:inbox",
    "escalations:precedents",
    "agenda:index",
    "agenda:my_activities",
    "reporting:dashboard",
    "reporting:report_list",
]
HOME = {
    "school_coordinator": [
        "contacts:directory",
        "referrals:create",
        "referrals:list",
        "escalations:inbox",
        "escalations:precedents",
        "agenda:index",
        "reporting:published_list",
    ],
    "district_worker": [
        "contacts:directory",
        "referrals:inbox",
        "escalations:inbox",
        "escalations:precedents",
        "agenda:index",
        "reporting:published_list",
    ],
    "partnership_director": DIRECTOR_HOME,
    "municipal_officer": DIRECTOR_HOME,
    "steering_member": [
        "contacts:directory",
        "contacts:coverage",
        "contacts:norms",
        "escalations:precedents",
        "agenda:index",
        "agenda:my_activities",
        "reporting:dashboard",
        "reporting:report_list",
    ],
    "registry_admin": [
        "contacts:directory",
        "contacts:coverage",
        "contacts:norms",
        "contacts:outbox",
        "contacts:accounts",
        "contacts:invite",
        "contacts:theme",
        "contacts:import",
        "escalations:mediators",
        "agenda:index",
    ],
    "privacy_officer": [
        "contacts:directory",
        "agenda:index",
        "security:request_list",
        "security:breach_list",
        "security:account_records",
        "security:register",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("actor", list(NAV))
def test_the_navigation_keeps_its_order_per_role(client, world, actor):
    client.force_login(world.user(actor))
    response = client.get(reverse("home"))
    items = response.context["nav_items"]
    assert [item["url_name"] for item in items] == NAV[actor]
    assert [item["url"] for item in items] == [reverse(name) for name in NAV[actor]]
    assert [item["url_name"] for item in items if item["current"]] == (["home"] if NAV[actor] else [])


@pytest.mark.django_db
@pytest.mark.parametrize("actor", list(HOME))
def test_the_home_page_shows_each_membership_with_its_entry_points(client, world, actor):
    user = world.user(actor)
    client.force_login(user)
    [block] = client.get(reverse("home")).context["blocks"]
    assert block["membership"].user == user
    assert [p["url"] for p in block["entry_points"]] == [reverse(name) for name in HOME[actor]]


def test_every_registered_url_name_resolves():
    assert check_registered_url_names() == []
    call_command("check")  # the check is registered: `manage.py check` runs it
    assert {item.url_name for item in navigation.registered()} >= {n for names in NAV.values() for n in names}
    orders = [item.order for item in navigation.registered()]
    assert orders == sorted(orders)


@pytest.fixture
def scratch_registries(monkeypatch):
    monkeypatch.setattr(navigation, "_ITEMS", list(navigation._ITEMS))
    monkeypatch.setattr(home, "_ENTRY_POINTS", home.defaultdict(list, home._ENTRY_POINTS))
    monkeypatch.setitem(home._ENTRY_POINTS, "registry_admin", list(home._ENTRY_POINTS["registry_admin"]))


@pytest.mark.django_db
def test_a_wrong_url_name_fails_loudly(scratch_registries, client, world):
    navigation.register(9999, "contacts:directroy", "Typo")
    home.register("registry_admin", "contacts:imprt", "Typo")
    errors = check_registered_url_names()
    assert [e.id for e in errors] == ["portal.E001", "portal.E002"]
    assert "contacts:directroy" in errors[0].msg and "contacts:imprt" in errors[1].msg
    client.force_login(world.user("registry_admin"))
    with pytest.raises(NoReverseMatch):
        client.get(reverse("home"))


def test_two_entries_cannot_share_a_place(scratch_registries):
    with pytest.raises(ValueError, match="order 100 is taken"):
        navigation.register(100, "contacts:directory", "Again")


@pytest.mark.django_db
def test_a_visibility_callable_decides_on_top_of_the_roles(scratch_registries, client, world):
    navigation.register(
        9998, "contacts:import", "Import", roles=["registry_admin"], visible=lambda user: user.is_staff
    )
    admin = world.user("registry_admin")
    client.force_login(admin)
    assert "contacts:import" not in [i["url_name"] for i in client.get(reverse("home")).context["nav_items"]]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert "contacts:import" in [i["url_name"] for i in client.get(reverse("home")).context["nav_items"]]


DOMAIN_APPS = {"contacts", "referrals", "escalations", "agenda", "reporting", "security", "bench"}


def test_portal_imports_no_domain_app():
    offenders = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in DOMAIN_APPS]
    assert not offenders, offenders


def test_the_entries_paths_follow_the_script_prefix():
    from django.urls import get_script_prefix, reverse, set_script_prefix

    from portal.navigation import _path

    before = get_script_prefix()
    try:
        set_script_prefix("/tandem/")
        assert _path("home") == reverse("home") == "/tandem/"
        set_script_prefix("/")
        assert _path("home") == "/"
    finally:
        set_script_prefix(before)
