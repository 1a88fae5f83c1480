"""Permission matrix rows for the reports (docs/architecture.md, "Who sees what"): steering
members, directors and officers; a report of another scope answers 404; every other role 403."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reporting.models import ProgressReport
from tests.helpers.matrix import LIST, NONE, Case

READERS = {
    "steering_member": 200,
    "partnership_director": 200,
    "municipal_officer": 200,
    "other_partnership_director": 200,
    "other_municipal_officer": 200,
}
REGION_ONLY = {
    "steering_member": 200,
    "partnership_director": 404,
    "municipal_officer": 404,
    "other_partnership_director": 404,
    "other_municipal_officer": 404,
}


def _report(w, status=ProgressReport.Status.DONE):
    report = ProgressReport.objects.create(period="2026-H1", region=w.region, status=status)
    if status == ProgressReport.Status.DONE:
        report.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        report.sha256 = "0" * 64
        report.size = 13
        report.save()
    return report


def _published(w, region=None):
    report = _report(w)
    report.published_at = timezone.now()
    report.published_by = w.users["steering_member"]
    if region is not None:
        report.region = region
    report.save()
    return report


def _foreign_region():
    from tests.contacts.factories import RegionFactory

    return RegionFactory(code="FRN", name="Vreemde regio")


# Every account with a membership in the region reads what its steering group published.
PUBLISHED_READERS = {
    actor: 200
    for actor in (
        "school_coordinator",
        "district_worker",
        "partnership_director",
        "municipal_officer",
        "steering_member",
        "registry_admin",
        "privacy_officer",
        "other_school_coordinator",
        "other_district_worker",
        "other_partnership_director",
        "other_municipal_officer",
    )
}
NOBODY_FINDS_IT = dict.fromkeys(PUBLISHED_READERS, 404)


def _figures_query(w):
    return f"?period=2026-H1&scope=r-{w.region.pk}"


def _scopes(w):
    """How the region's scopes show in the figures' scope choice."""
    return [f'value="r-{w.region.pk}"', w.partnership.name, w.other_partnership.name, w.municipality.name]


def _reports(w):
    return [reverse("reporting:report_detail", args=[_report(w).uuid])]


CASES = [
    Case(
        "reporting:dashboard",
        lambda w: reverse("reporting:dashboard"),
        expect=READERS,
        region=LIST,
        seed=_scopes,
    ),
    Case(
        "reporting:report_list",
        lambda w: reverse("reporting:report_list"),
        expect=READERS,
        region=LIST,
        seed=_reports,
    ),
    Case(
        "reporting:export",
        lambda w: reverse("reporting:export", args=["csv"]) + _figures_query(w),
        expect=REGION_ONLY,
        label="csv",
    ),
    Case(
        "reporting:export",
        lambda w: reverse("reporting:export", args=["xlsx"]) + _figures_query(w),
        expect=REGION_ONLY,
        label="xlsx",
    ),
    Case(
        "reporting:report_request",
        lambda w: reverse("reporting:report_request"),
        method="post",
        data=lambda w: {"period": "2026-H1", "scope": f"r-{w.region.pk}"},
        expect={
            "steering_member": 302,
            # A scope that is not theirs is refused with a message on the form; nothing is created.
            "partnership_director": 400,
            "municipal_officer": 400,
            "other_partnership_director": 400,
            "other_municipal_officer": 400,
        },
        # Another region's steering member may not ask for this region's report either.
        region=NONE,
        abroad={"steering_member": 400},
    ),
    Case(
        "reporting:report_detail",
        lambda w: reverse("reporting:report_detail", args=[_report(w).uuid]),
        expect=REGION_ONLY,
    ),
    Case(
        "reporting:report_status",
        lambda w: reverse("reporting:report_status", args=[_report(w).uuid]),
        expect=REGION_ONLY,
    ),
    Case(
        "reporting:report_download",
        lambda w: reverse("reporting:report_download", args=[_report(w).uuid]),
        expect=REGION_ONLY,
    ),
    Case(
        "reporting:report_retry",
        lambda w: reverse("reporting:report_retry", args=[_report(w, ProgressReport.Status.FAILED).uuid]),
        method="post",
        expect={**REGION_ONLY, "steering_member": 302},
    ),
]

CASES += [
    Case(
        "reporting:report_publish",
        lambda w: reverse("reporting:report_publish", args=[_report(w).uuid]),
        method="post",
        expect={**REGION_ONLY, "steering_member": 302},
    ),
    Case(
        "reporting:report_withdraw",
        lambda w: reverse("reporting:report_withdraw", args=[_published(w).uuid]),
        method="post",
        expect={**REGION_ONLY, "steering_member": 302},
    ),
    Case(
        "reporting:published_list",
        lambda w: reverse("reporting:published_list"),
        expect=PUBLISHED_READERS,
        region=LIST,
        seed=lambda w: [reverse("reporting:published_download", args=[_published(w).uuid])],
    ),
    Case(
        "reporting:published_download",
        lambda w: reverse("reporting:published_download", args=[_published(w).uuid]),
        expect=PUBLISHED_READERS,
    ),
    Case(
        "reporting:published_download",
        lambda w: reverse("reporting:published_download", args=[_report(w).uuid]),
        expect=NOBODY_FINDS_IT,
        label="draft",
    ),
    Case(
        "reporting:published_download",
        lambda w: reverse("reporting:published_download", args=[_published(w, _foreign_region()).uuid]),
        expect=NOBODY_FINDS_IT,
        label="foreign region",
    ),
]


# --- The startfoto (ADR 0155): read by every account of the region, frozen by its steering
# group; another region's startfoto answers 404 (its region is not among the reader's).
def _startfoto(w, year=None):
    from reporting.models import StartPhoto
    from reporting.startfoto import SchoolYear

    area = {"code": w.region.code, "name": "Startfotogebied Zichtbaar", "rows": {}}
    return StartPhoto.objects.create(
        region=w.region,
        school_year=year or SchoolYear.current().year,
        frozen_on=timezone.localdate(),
        data={"school_year": 2025, "areas": [area]},
    )


def _startfoto_query(w):
    from reporting.startfoto import SchoolYear

    return f"?regio={w.region.code}&jaar={SchoolYear.current().year}"


ABROAD_NOT_FOUND = dict.fromkeys(PUBLISHED_READERS, 404)

CASES += [
    Case(
        "reporting:startfoto",
        lambda w: reverse("reporting:startfoto"),
        expect=PUBLISHED_READERS,
        region=LIST,
        seed=lambda w: [_startfoto(w).data["areas"][0]["name"]],
    ),
    Case(
        "reporting:startfoto_freeze",
        lambda w: reverse("reporting:startfoto_freeze"),
        method="post",
        data=lambda w: {"regio": w.region.code, "jaar": _startfoto_query(w).rsplit("=", 1)[1]},
        expect={**dict.fromkeys(PUBLISHED_READERS, 403), "steering_member": 302},
        region=LIST,
        seed=lambda w: [],
        abroad=ABROAD_NOT_FOUND,
    ),
    Case(
        "reporting:startfoto_xlsx",
        lambda w: (_startfoto(w), reverse("reporting:startfoto_xlsx") + _startfoto_query(w))[1],
        expect=PUBLISHED_READERS,
        region=LIST,
        seed=lambda w: [],
        abroad=ABROAD_NOT_FOUND,
    ),
]
