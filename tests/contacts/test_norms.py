"""The region's own norms (ADR 0091): who may set them, the rules, append-only history, the page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from contacts import services
from contacts.models import RegionNorm, Role
from contacts.norms import NormBook, default_norms, norms_for_referral, norms_in_period, norms_on
from portal.models import AppendOnlyError
from tests.contacts import factories as f
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def _valid(**changes):
    data = {
        "valid_from": _tomorrow().isoformat(),
        "decision_days": "7",
        "help_started_days": "25",
        "escalation_margin_days": "3",
    }
    data.update(changes)
    return data


def _set(world, user="steering_member", valid_from=None, **numbers):
    values = {"decision_days": 7, "help_started_days": 25, "escalation_margin_days": 3, **numbers}
    return services.set_region_norms(world.user(user), world.region, valid_from or _tomorrow(), **values)


@pytest.mark.parametrize("user", ["steering_member", "registry_admin"])
def test_the_steering_member_and_the_registry_admin_set_norms(world, user):
    norm = _set(world, user)
    assert (norm.region, norm.set_by, norm.valid_from) == (world.region, world.user(user), _tomorrow())
    assert norms_on(world.region, _tomorrow()).decision_days == 7
    assert norms_on(world.subregion, _tomorrow()).decision_days == 7  # a subregion takes its region's
    assert norms_on(world.region, timezone.localdate()) == default_norms()


@pytest.mark.parametrize("user", ["privacy_officer", "partnership_director", "school_coordinator"])
def test_others_may_not(world, user):
    with pytest.raises(PermissionDenied):
        _set(world, user)
    assert not RegionNorm.objects.exists()


def test_not_for_another_region_or_a_subregion(world):
    other = f.RegionFactory(code="ELD", name="Elders")
    with pytest.raises(PermissionDenied):
        services.set_region_norms(world.user("steering_member"), other, _tomorrow(), 5, 20, 5)
    with pytest.raises(PermissionDenied):
        services.set_region_norms(world.user("steering_member"), world.subregion, _tomorrow(), 5, 20, 5)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision_days": -1}, "decision_days"),
        ({"decision_days": 0}, "decision_days"),
        ({"decision_days": 61}, "decision_days"),
        ({"help_started_days": 1000}, "help_started_days"),
        ({"help_started_days": 4, "decision_days": 5}, "help_started_days"),
        ({"escalation_margin_days": 0}, "escalation_margin_days"),
        ({"escalation_margin_days": "5"}, "escalation_margin_days"),
        ({"valid_from": "today"}, "valid_from"),
        ({"valid_from": "past"}, "valid_from"),
    ],
)
def test_the_service_refuses_bad_values_and_stores_nothing(world, changes, field):
    values = {"decision_days": 5, "help_started_days": 20, "escalation_margin_days": 5}
    valid_from = _tomorrow()
    for name, value in changes.items():
        if name == "valid_from":
            valid_from = timezone.localdate() - datetime.timedelta(days=0 if value == "today" else 30)
        else:
            values[name] = value
    with pytest.raises(ValidationError) as exc:
        services.set_region_norms(world.user("steering_member"), world.region, valid_from, **values)
    assert field in exc.value.message_dict
    assert not RegionNorm.objects.exists()


def test_history_is_append_only(world):
    norm = _set(world)
    with pytest.raises(AppendOnlyError):
        norm.save()
    with pytest.raises(AppendOnlyError):
        norm.delete()
    with pytest.raises(AppendOnlyError):
        RegionNorm.objects.filter(pk=norm.pk).update(decision_days=1)
    with pytest.raises(AppendOnlyError):
        RegionNorm.objects.all().delete()


def test_the_latest_start_on_or_before_the_day_applies_and_the_latest_set_wins(world):
    d1, d2 = _tomorrow(), _tomorrow() + datetime.timedelta(days=10)
    _set(world, valid_from=d2, decision_days=9, help_started_days=30)
    _set(world, valid_from=d1, decision_days=6)
    _set(world, valid_from=d1, decision_days=8, user="registry_admin")
    book = NormBook()
    assert book.on(world.region.pk, d1 - datetime.timedelta(days=1)).is_default
    assert book.on(world.region.pk, d1).decision_days == 8
    assert book.on(world.region.pk, d2).decision_days == 9
    assert norms_on(world.region, d1).decision_days == 8
    spans = norms_in_period(world.region.pk, timezone.localdate(), d2 + datetime.timedelta(days=5))
    assert [(first, norms.decision_days) for first, _last, norms in spans] == [
        (timezone.localdate(), 5),
        (d1, 8),
        (d2, 9),
    ]
    assert spans[1][1] == d2 - datetime.timedelta(days=1)


def test_a_referral_takes_its_school_regions_norm_of_its_submission_date(world):
    from tests.referrals.factories import referral_in

    referral = referral_in(world, "submitted")
    assert norms_for_referral(referral) == default_norms()
    RegionNorm.objects.create(
        region=world.region,
        valid_from=timezone.localdate(),
        decision_days=9,
        help_started_days=40,
        escalation_margin_days=1,
        set_by=world.user("registry_admin"),
    )
    assert norms_for_referral(referral).decision_days == 9
    assert norms_for_referral(referral).escalation_threshold == 10


# --- The page ------------------------------------------------------------------------------------


def _url(world):
    return reverse("contacts:norms_region", args=[world.region.pk])


def test_the_page_sets_norms_and_shows_the_history(world, client):
    client.force_login(world.user("steering_member"))
    assert client.get(reverse("contacts:norms"))["Location"] == _url(world)
    with translation.override("nl"):
        response = client.post(_url(world), _valid(), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302
    norm = RegionNorm.objects.get()
    assert (norm.decision_days, norm.help_started_days, norm.escalation_margin_days) == (7, 25, 3)
    html = client.get(_url(world)).content.decode()
    assert escape(world.user("steering_member").full_name) in html
    assert "Geschiedenis" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision_days": "-3"}, "decision_days", "van 1 tot en met 60"),
        ({"decision_days": "0"}, "decision_days", "van 1 tot en met 60"),
        ({"help_started_days": "100000"}, "help_started_days", "van 1 tot en met 130"),
        ({"escalation_margin_days": "vijf"}, "escalation_margin_days", "heel aantal werkdagen"),
        ({"decision_days": "5\x00"}, "decision_days", "heel aantal werkdagen"),
        ({"decision_days": ""}, "decision_days", "verplicht"),
        ({"help_started_days": "3"}, "help_started_days", "minstens 7"),
        ({"valid_from": "2020-01-01"}, "valid_from", "na vandaag"),
        ({"valid_from": "{today}"}, "valid_from", "na vandaag"),
        ({"valid_from": "31-02-2027"}, "valid_from", "geldige datum"),
    ],
)
def test_bad_input_is_a_message_next_to_the_field_and_changes_nothing(world, client, changes, field, message):
    client.force_login(world.user("registry_admin"))
    changes = {k: v.replace("{today}", timezone.localdate().isoformat()) for k, v in changes.items()}
    response = client.post(_url(world), _valid(**changes), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert not RegionNorm.objects.exists()


def test_the_page_query_count_does_not_grow_with_the_history(world, client):
    client.force_login(world.user("steering_member"))
    setter = world.user("steering_member")

    def add_rows(n):
        start = RegionNorm.objects.count()
        for i in range(n):
            RegionNorm.objects.create(
                region=world.region,
                valid_from=datetime.date(2026, 1, 1) + datetime.timedelta(days=start + i),
                decision_days=5,
                help_started_days=20,
                escalation_margin_days=5,
                set_by=f.make_member(Role.STEERING_MEMBER, world.region) if i % 2 else setter,
            )

    # session, user, memberships, the region, its norms (with who set them), the other regions;
    # the session is not saved again within a minute of the login (ADR 0172).
    assert_queries_pinned(client, _url(world), add_rows, expected=6)
