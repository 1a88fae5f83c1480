"""Published reports (ADR 0150): the steering group publishes a finished report and can withdraw
it; every account of the region then reads and downloads it; a draft, or another region's
report, stays out of sight (404)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from contacts.models import Role
from portal.models import AccessLog
from reporting import services
from reporting.models import ProgressReport, PublicationEvent
from reporting.permissions import published_reports
from tests.helpers.queries import assert_queries_pinned

pytestmark = pytest.mark.django_db
# The published list's queries, for 1 row as for 10: session, user, memberships, the reports
# (no session save, ADR 0172).
EXPECTED_PUBLISHED_QUERIES = 4


def _done(region, period="2026-H1"):
    report = ProgressReport.objects.create(period=period, region=region, status=ProgressReport.Status.DONE)
    report.file.save("x.pdf", ContentFile(b"%PDF-1.7 published"), save=False)
    report.size, report.sha256 = 18, "0" * 64
    report.save()
    return report


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }


@pytest.fixture
def foreign(world):
    """The other region (world.abroad) with its steering member and school coordinator."""
    abroad = world.abroad
    return {
        "region": abroad.region,
        "steering": abroad.user("steering_member"),
        "ib": abroad.user("school_coordinator"),
    }


def test_publish_and_withdraw_record_who_and_when(world, media):
    steering = world.users["steering_member"]
    report = _done(world.subregion)
    assert services.publish_report(steering, report) is True
    report.refresh_from_db()
    assert report.is_published and report.published_by == steering
    # Publishing twice changes nothing and records nothing.
    assert services.publish_report(steering, report) is False
    assert services.withdraw_publication(steering, report) is True
    report.refresh_from_db()
    assert report.published_at is None and report.published_by is None
    assert services.withdraw_publication(steering, report) is False
    events = list(PublicationEvent.objects.filter(report=report).order_by("at", "id"))
    assert [(e.action, e.actor) for e in events] == [("publish", steering), ("withdraw", steering)]
    assert all(e.at is not None for e in events)


def test_an_unfinished_report_is_not_published(world):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    assert services.publish_report(world.users["steering_member"], report) is False
    report.refresh_from_db()
    assert report.published_at is None
    assert not PublicationEvent.objects.exists()


@pytest.mark.parametrize(
    "actor", ["school_coordinator", "partnership_director", "municipal_officer", "registry_admin"]
)
def test_only_the_steering_group_publishes(world, media, actor):
    report = _done(world.region)
    with pytest.raises(PermissionDenied):
        services.publish_report(world.users[actor], report)
    services.publish_report(world.users["steering_member"], report)
    with pytest.raises(PermissionDenied):
        services.withdraw_publication(world.users[actor], report)
    assert PublicationEvent.objects.count() == 1


def test_a_foreign_steering_member_cannot_publish(world, media, foreign):
    report = _done(world.region)
    with pytest.raises(PermissionDenied):
        services.publish_report(foreign["steering"], report)


def test_a_partnership_report_cannot_be_published(world):
    report = ProgressReport.objects.create(period="2026-H1", partnership=world.partnership, status="done")
    with pytest.raises(PermissionDenied):
        services.publish_report(world.users["steering_member"], report)


def test_practitioners_see_only_their_regions_published_reports(world, media, foreign):
    published = _done(world.subregion)
    draft = _done(world.region, "2025-H2")
    theirs = _done(foreign["region"])
    services.publish_report(world.users["steering_member"], published)
    services.publish_report(foreign["steering"], theirs)
    for actor in ("school_coordinator", "district_worker", "privacy_officer", "other_school_coordinator"):
        assert list(published_reports(world.users[actor])) == [published]
    assert list(published_reports(foreign["ib"])) == [theirs]
    assert draft not in published_reports(world.users["steering_member"])


def test_practitioner_downloads_a_published_report_and_it_is_logged(world, media, foreign, client):
    report = _done(world.subregion)
    services.publish_report(world.users["steering_member"], report)
    client.force_login(world.users["school_coordinator"])
    page = client.get(reverse("reporting:published_list")).content.decode()
    assert "2026-H1" in page and "Subregio A" in page
    url = reverse("reporting:published_download", args=[report.uuid])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get(action=AccessLog.Action.DOWNLOAD)
    assert entry.role == Role.SCHOOL_COORDINATOR and entry.object_id == str(report.pk)

    # Withdrawn: gone from the list, and the download is 404.
    services.withdraw_publication(world.users["steering_member"], report)
    assert "Subregio A" not in client.get(reverse("reporting:published_list")).content.decode()
    assert client.get(url).status_code == 404
    # Another region's practitioner never finds it, published or not.
    services.publish_report(world.users["steering_member"], report)
    client.force_login(foreign["ib"])
    assert client.get(url).status_code == 404


def test_steering_member_publishes_from_the_report_page(world, media, client):
    report = _done(world.region)
    client.force_login(world.users["steering_member"])
    detail = reverse("reporting:report_detail", args=[report.uuid])
    assert "Publiceren voor de uitvoerders" in client.get(detail).content.decode()
    response = client.post(reverse("reporting:report_publish", args=[report.uuid]), follow=True)
    html = response.content.decode()
    assert "is gepubliceerd" in html and "Publicatie intrekken" in html
    response = client.post(reverse("reporting:report_withdraw", args=[report.uuid]), follow=True)
    assert "Publiceren voor de uitvoerders" in response.content.decode()
    # Withdrawing again is refused with a message; nothing is recorded.
    response = client.post(reverse("reporting:report_withdraw", args=[report.uuid]), follow=True)
    assert "niet gepubliceerd" in response.content.decode()
    assert PublicationEvent.objects.count() == 2


def test_a_director_reads_the_region_report_but_may_not_publish(world, media, client):
    report = _done(world.partnership.region)  # the director's subregion: not theirs to publish
    client.force_login(world.users["partnership_director"])
    assert client.post(reverse("reporting:report_publish", args=[report.uuid])).status_code == 404
    own = ProgressReport.objects.create(period="2026-H1", partnership=world.partnership, status="done")
    assert client.post(reverse("reporting:report_publish", args=[own.uuid])).status_code == 403


def test_published_list_query_count_is_pinned(world, media, client):
    client.force_login(world.users["district_worker"])
    url = reverse("reporting:published_list")
    steering = world.users["steering_member"]

    def add_rows(n):
        for _i in range(n):
            for region in (world.region, world.subregion):
                report = _done(region)
                services.publish_report(steering, report)

    assert_queries_pinned(client, url, add_rows, expected=EXPECTED_PUBLISHED_QUERIES)
    assert "Nog geen" not in client.get(url).content.decode()


def test_empty_published_list_names_what_comes(world, client):
    client.force_login(world.users["school_coordinator"])
    html = client.get(reverse("reporting:published_list")).content.decode()
    assert "heeft nog geen rapportage gepubliceerd" in html
