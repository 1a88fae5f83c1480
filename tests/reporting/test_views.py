"""Dashboard, archive, status fragment, downloads and exports."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import AccessLog
from reporting.models import ProgressReport
from reporting.scopes import allowed_scopes
from tests.helpers.queries import assert_queries_pinned
from tests.reporting.factories import ams, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(client, world):
    client.force_login(world.users["steering_member"])
    return client


def test_scopes_per_role(world):
    steering = [s.key for s in allowed_scopes(world.users["steering_member"])]
    assert steering == [f"r-{world.region.pk}", f"r-{world.subregion.pk}", f"r-{world.other_subregion.pk}"]
    assert [s.key for s in allowed_scopes(world.users["partnership_director"])] == [
        f"p-{world.partnership.pk}"
    ]
    assert [s.key for s in allowed_scopes(world.users["municipal_officer"])] == [f"m-{world.municipality.pk}"]
    assert allowed_scopes(world.users["school_coordinator"]) == []


def test_dashboard_shows_figures_charts_and_tables(world, dataset, steering):
    response = steering.get(
        reverse("reporting:dashboard"), {"period": "2026-H1", "scope": f"r-{world.subregion.pk}"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'role="img"' in html and 'aria-labelledby="chart-by_school_type-title"' in html
    assert "<text" in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "&lt;5" in html
    assert "5,5" in html and "9,1" in html
    assert "Zwaantje" not in html


def test_dashboard_defaults_and_bad_input(world, steering):
    assert "Kerncijfers" in steering.get(reverse("reporting:dashboard")).content.decode()
    only_period = steering.get(reverse("reporting:dashboard"), {"period": "2026-H1"}).content.decode()
    assert "Kerncijfers" in only_period and "Testregio" in only_period
    for params in (
        {"period": "2026-H9", "scope": f"r-{world.region.pk}"},
        {"period": "2026-H1", "scope": f"p-{world.other_partnership.pk}"},
        {"period": "2026-H1\x00", "scope": "r-abc"},
        {"period": "x" * 10000, "scope": f"r-{world.region.pk}"},
    ):
        response = steering.get(reverse("reporting:dashboard"), params)
        assert response.status_code == 200
        assert "utrecht-form-field-error-message" in response.content.decode()
        assert "Kerncijfers" not in response.content.decode()


def test_director_sees_only_their_partnership(world, dataset, client):
    client.force_login(world.users["partnership_director"])
    response = client.get(reverse("reporting:dashboard"))
    assert "SWV Aan" in response.content.decode()
    response = client.get(
        reverse("reporting:dashboard"), {"period": "2026-H1", "scope": f"r-{world.region.pk}"}
    )
    assert "Kerncijfers" not in response.content.decode()


def test_export_csv_and_xlsx_are_suppressed_and_logged(world, dataset, steering):
    params = {"period": "2026-H1", "scope": f"r-{world.subregion.pk}"}
    response = steering.get(reverse("reporting:export", args=["csv"]), params)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'filename="startfoto-2026-H1-TST-A.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Periode"
    values = {(r[3], r[4]): r[6] for r in rows[1:]}
    assert values[("Aanmeldingen per schoolsoort", "voortgezet speciaal onderwijs (vso)")] == "<5"
    assert values[("Aanmeldingen per schoolsoort", "basisschool (po)")] == "x"
    assert values[("Opschalingen per reden", "grijs gebied: financiering")] == "x"
    assert values[("Opschalingen per reden", "Totaal")] == "8"
    assert not any(
        r[6].isdigit() and 0 < int(r[6]) < 5
        for r in rows[1:]
        if r[3] != "Dekking van vaste contactpersonen en tandems"
    )
    response = steering.get(reverse("reporting:export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [str(v) for v in xlsx_rows[1]] == rows[1]
    assert len(xlsx_rows) == len(rows)
    logs = AccessLog.objects.filter(action="export", user=world.users["steering_member"])
    assert logs.count() == 2
    assert logs.first().role == "steering_member"


def test_export_escapes_formulas(world, steering):
    world.municipality.name = "=HYPERLINK(1)"
    world.municipality.save()
    for _i in range(5):
        referral(world.school, submitted=ams(2026, 3, 2))
    response = steering.get(
        reverse("reporting:export", args=["csv"]), {"period": "2026-H1", "scope": f"r-{world.region.pk}"}
    )
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")
    assert ";=HYPERLINK" not in response.content.decode("utf-8-sig")


def test_status_fragment_polls_until_done(world, steering):
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    fragment = steering.get(reverse("reporting:report_status", args=[report.uuid])).content.decode()
    assert 'hx-trigger="load delay:2s"' in fragment and "?poll=1" in fragment
    assert "in de wachtrij" in fragment
    report.status = ProgressReport.Status.DONE
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=True)
    fragment = steering.get(reverse("reporting:report_status", args=[report.uuid])).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("reporting:report_download", args=[report.uuid]) in fragment
    report.status = ProgressReport.Status.FAILED
    report.error = "ValueError: kapot"
    report.save()
    fragment = steering.get(reverse("reporting:report_status", args=[report.uuid])).content.decode()
    assert "hx-trigger" not in fragment and "Opnieuw proberen" in fragment
    # A Dutch explanation, never the exception (it is in the log and the admin).
    assert "ValueError" not in fragment and "kapot" not in fragment
    assert "Er ging iets mis bij het samenstellen" in fragment


def test_polling_backs_off_and_stops_after_a_few_minutes(world, steering):
    from reporting.views import POLL_GIVE_UP_SECONDS, poll_delay

    delays = []
    attempt = 0
    while (delay := poll_delay(attempt)) is not None:
        delays.append(delay)
        attempt += 1
    assert delays[:4] == [2, 3, 4.5, 6.8] and max(delays) == 30
    assert sorted(delays) == delays
    assert POLL_GIVE_UP_SECONDS <= sum(delays) < POLL_GIVE_UP_SECONDS + 30
    report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    url = reverse("reporting:report_status", args=[report.uuid])
    fragment = steering.get(url, {"poll": "3"}).content.decode()
    assert 'hx-trigger="load delay:6.8s"' in fragment and "?poll=4" in fragment
    fragment = steering.get(url, {"poll": str(attempt)}).content.decode()
    assert "hx-trigger" not in fragment and "duurt langer dan gewoonlijk" in fragment
    for bad in ("-1", "abc", "9" * 50, "1\x00"):
        response = steering.get(url, {"poll": bad})
        assert response.status_code == 200 and 'hx-trigger="load delay:2s"' in response.content.decode()


def test_download_is_logged_and_not_cached(world, steering):
    report = ProgressReport.objects.create(period="2026-H1", region=world.subregion, status="done")
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    response = steering.get(reverse("reporting:report_download", args=[report.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert "voortgangsrapportage-2026-H1-TST-A.pdf" in response["Content-Disposition"]
    log = AccessLog.objects.get(action="download")
    assert (log.object_type, log.object_id, log.role) == (
        "reporting.progressreport",
        str(report.pk),
        "steering_member",
    )
    queued = ProgressReport.objects.create(period="2026-H1", region=world.subregion)
    assert steering.get(reverse("reporting:report_download", args=[queued.uuid])).status_code == 404


def test_request_reuses_an_active_request(world, steering, monkeypatch):
    from reporting import services

    monkeypatch.setattr(services, "enqueue", lambda report_id: None)
    data = {"period": "2026-H1", "scope": f"r-{world.subregion.pk}"}
    first = steering.post(reverse("reporting:report_request"), data)
    second = steering.post(reverse("reporting:report_request"), data)
    assert first["Location"] == second["Location"]
    assert ProgressReport.objects.count() == 1
    report = ProgressReport.objects.get()
    assert report.requested_by == world.users["steering_member"] and report.region == world.subregion
    bad = steering.post(reverse("reporting:report_request"), {"period": "1999-H1", "scope": "r-0"})
    assert bad.status_code == 400
    assert "utrecht-form-field-error-message" in bad.content.decode()
    assert ProgressReport.objects.count() == 1


def test_archive_list_filters_and_query_count_is_pinned(world, steering):
    url = reverse("reporting:report_list")

    def add_rows(n):
        for _i in range(n):
            ProgressReport.objects.create(
                period="2026-H1", region=world.subregion, requested_by=world.users["steering_member"]
            )
            ProgressReport.objects.create(
                period="2025-H2",
                partnership=world.partnership,
                requested_by=world.users["partnership_director"],
            )

    assert_queries_pinned(steering, url, add_rows, expected=_archive_queries(steering, url))
    filtered = steering.get(url, {"period": "2025-H2", "scope": ""}).content.decode()
    assert "2026-H1</a>" not in filtered
    bad = steering.get(url, {"period": "zzz", "scope": "r-0\x00"})
    assert bad.status_code == 200
    assert "utrecht-form-field-error-message" in bad.content.decode()


def _archive_queries(client, url):
    from tests.helpers.queries import count_queries

    return count_queries(client, url)[0]


def test_dashboard_query_count_is_pinned(world, steering):
    url = reverse("reporting:dashboard") + f"?period=2026-H1&scope=r-{world.region.pk}"

    def add_rows(n):
        for i in range(n):
            referral(world.school, submitted=ams(2026, 3, 2), decided=ams(2026, 3, 4 + i % 3))

    from tests.helpers.queries import count_queries

    baseline = count_queries(steering, url)[0]
    # The page's own 7 + the figures' 15 (tests/reporting/test_figures.py, ADR 0167)
    assert baseline <= 22
    assert_queries_pinned(steering, url, add_rows, expected=baseline)


def test_school_coordinator_gets_403(world, client):
    client.force_login(world.users["school_coordinator"])
    for name in ("reporting:dashboard", "reporting:report_list"):
        assert client.get(reverse(name)).status_code == 403


def test_directors_and_officers_request_and_see_only_their_own_reports(world, client, monkeypatch):
    from reporting import services

    monkeypatch.setattr(services, "enqueue", lambda report_id: None)
    region_report = ProgressReport.objects.create(period="2026-H1", region=world.region)
    other = ProgressReport.objects.create(period="2026-H1", partnership=world.other_partnership)
    client.force_login(world.users["partnership_director"])
    response = client.post(
        reverse("reporting:report_request"), {"period": "2026-H1", "scope": f"p-{world.partnership.pk}"}
    )
    assert response.status_code == 302
    own = ProgressReport.objects.get(partnership=world.partnership)
    listing = client.get(reverse("reporting:report_list")).content.decode()
    assert str(own.uuid) in listing
    assert str(region_report.uuid) not in listing and str(other.uuid) not in listing
    assert client.get(reverse("reporting:report_detail", args=[other.uuid])).status_code == 404

    client.force_login(world.users["municipal_officer"])
    response = client.post(
        reverse("reporting:report_request"), {"period": "2026-H1", "scope": f"m-{world.municipality.pk}"}
    )
    assert response.status_code == 302
    assert ProgressReport.objects.filter(municipality=world.municipality).count() == 1
    listing = client.get(reverse("reporting:report_list")).content.decode()
    assert str(own.uuid) not in listing
