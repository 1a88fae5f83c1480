"""Permission matrix rows for the network registry.

Everyone with a membership reads the directory; registry_admin edits everything; members
maintain their own organisation's contacts and tandems; coverage is for the steering side.
"""

import datetime

from django.urls import reverse

from portal.models import OutboxMessage
from tests.contacts import factories as f
from tests.helpers.matrix import LIST, NATIONAL, NONE, Case

MEMBERS = {"no_membership": 403}
ADMIN = {"registry_admin": 200}
COVERAGE = {
    "registry_admin": 200,
    "steering_member": 200,
    "partnership_director": 200,
    "other_partnership_director": 200,
    "municipal_officer": 200,
    "other_municipal_officer": 200,
}
NORM_SETTERS = {"steering_member": 200, "registry_admin": 200}
NORM_SETTERS_REDIRECT = {"steering_member": 302, "registry_admin": 302}
ORG_MEMBERS = {
    "registry_admin": 200,
    "school_coordinator": 200,
    "other_school_coordinator": 200,
    "district_worker": 200,
    "other_district_worker": 200,
    "partnership_director": 200,
    "other_partnership_director": 200,
    "municipal_officer": 200,
    "other_municipal_officer": 200,
}


def _failed_outbox_row():
    return OutboxMessage.objects.create(
        task="portal.heartbeat", kwargs={"token": "matrix"}, dedup_key="matrix", state="failed", attempts=12
    )


def _person_of_school(w):
    person = f.PersonFactory(name="Iris Schoolmens")
    person.schools.add(w.school)
    return person


def _open_school_assignment(w):
    return f.ContactAssignmentFactory(school=w.school, valid_from=datetime.date(2026, 1, 1))


def _replace_data(w):
    return {"person": f.PersonFactory().pk, "valid_from": datetime.date.today().isoformat()}


def _national_seed(w):
    """A person of the region's school, so the people list has someone to show the region of."""
    _person_of_school(w)
    return []


def _own_organisations(w):
    """How the region's organisations show in a form's choices or the coverage lists."""
    return [w.school.name, w.other_school.name, w.municipality.name, w.other_municipality.name]


# The directory is national (ADR 0147): another region's members read it too, and each page
# shows the region of what it lists.
CASES = [
    Case(
        "contacts:directory",
        lambda w: reverse("contacts:directory"),
        default=200,
        expect=MEMBERS,
        region=NONE,  # the index of the lists below
    ),
    *[
        Case(
            "contacts:list",
            lambda w, kind=kind: reverse("contacts:list", args=[kind]),
            default=200,
            expect=MEMBERS,
            label=kind,
            region=NATIONAL,
            seed=_national_seed,
        )
        for kind in (
            "schools",
            "municipalities",
            "partnerships",
            "district_teams",
            "care_providers",
            "persons",
        )
    ],
    Case(
        "contacts:list",
        lambda w: reverse("contacts:list", args=["unknown"]),
        default=404,
        expect=MEMBERS,
        label="unknown kind",
        region=NATIONAL,
    ),
    *[
        Case(
            "contacts:export",
            lambda w, fmt=fmt: reverse("contacts:export", args=["schools", fmt]),
            default=200,
            expect=MEMBERS,
            label=fmt,
            region=NATIONAL,
        )
        for fmt in ("csv", "xlsx")
    ],
    *[
        Case(
            "contacts:export",
            lambda w, kind=kind: reverse("contacts:export", args=[kind, "csv"]),
            default=200,
            expect=MEMBERS,
            label=kind,
            region=NATIONAL,
        )
        for kind in ("regions", "assignments", "tandems")
    ],
    Case(
        "contacts:school_detail",
        lambda w: reverse("contacts:school_detail", args=[w.school.pk]),
        default=200,
        expect=MEMBERS,
        region=NATIONAL,
    ),
    Case(
        "contacts:school_detail",
        lambda w: reverse("contacts:school_detail", args=[999999]),
        default=404,
        expect=MEMBERS,
        label="missing",
        region=NATIONAL,
    ),
    Case(
        "contacts:municipality_detail",
        lambda w: reverse("contacts:municipality_detail", args=[w.municipality.pk]),
        default=200,
        expect=MEMBERS,
        region=NATIONAL,
    ),
    Case(
        "contacts:partnership_detail",
        lambda w: reverse("contacts:partnership_detail", args=[w.partnership.pk]),
        default=200,
        expect=MEMBERS,
        region=NATIONAL,
    ),
    Case(
        "contacts:district_team_detail",
        lambda w: reverse("contacts:district_team_detail", args=[w.district_team.pk]),
        default=200,
        expect=MEMBERS,
        region=NATIONAL,
    ),
    Case(
        "contacts:care_provider_detail",
        lambda w: reverse("contacts:care_provider_detail", args=[w.care_provider.pk]),
        default=200,
        expect=MEMBERS,
        region=NATIONAL,
    ),
    Case(
        "contacts:person_detail",
        lambda w: reverse("contacts:person_detail", args=[_person_of_school(w).pk]),
        default=200,
        expect=MEMBERS,
        region=NATIONAL,
    ),
    Case(
        "contacts:person_create",
        lambda w: reverse("contacts:person_create"),
        expect=ORG_MEMBERS,
        region=LIST,  # the organisations to choose from are the own region's
        seed=_own_organisations,
    ),
    Case(
        "contacts:person_edit",
        lambda w: reverse("contacts:person_edit", args=[_person_of_school(w).pk]),
        expect={"registry_admin": 200, "school_coordinator": 200},
        # People are national; another region's registry admin reads but does not edit them.
        region=NATIONAL,
        abroad={"registry_admin": 403, "school_coordinator": 403},
    ),
    *[
        Case(
            "contacts:assignment_replace",
            lambda w, kind=kind, attr=attr: reverse(
                "contacts:assignment_replace", args=[kind, getattr(w, attr).pk]
            ),
            expect={"registry_admin": 200, actor: 200},
            label=kind,
        )
        for kind, attr, actor in (
            ("school", "school", "school_coordinator"),
            ("municipality", "municipality", "municipal_officer"),
            ("partnership", "partnership", "partnership_director"),
            ("district_team", "district_team", "district_worker"),
        )
    ],
    Case(
        "contacts:assignment_replace",
        lambda w: reverse("contacts:assignment_replace", args=["school", w.school.pk]),
        method="post",
        data=_replace_data,
        expect={"registry_admin": 302, "school_coordinator": 302},
        label="save",
    ),
    Case(
        "contacts:assignment_end",
        lambda w: reverse("contacts:assignment_end", args=[_open_school_assignment(w).pk]),
        expect={"registry_admin": 200, "school_coordinator": 200},
    ),
    Case(
        "contacts:tandem_replace",
        lambda w: reverse("contacts:tandem_replace", args=[w.school.pk]),
        expect={"registry_admin": 200, "school_coordinator": 200, "district_worker": 200},
    ),
    Case(
        "contacts:tandem_end",
        lambda w: reverse("contacts:tandem_end", args=[w.tandem.pk]),
        expect={"registry_admin": 200, "school_coordinator": 200, "district_worker": 200},
    ),
    Case(
        "contacts:coverage",
        lambda w: reverse("contacts:coverage"),
        expect=COVERAGE,
        region=LIST,
        seed=_own_organisations,
    ),
    Case("contacts:import", lambda w: reverse("contacts:import"), expect=ADMIN, region=NONE),
    # The outbox (ADR 0130): the registry administrator sees it and retries failed rows.
    # Installation-wide, not a region's (ADR 0131).
    Case("contacts:outbox", lambda w: reverse("contacts:outbox"), expect=ADMIN, region=NONE),
    Case(
        "contacts:outbox_retry",
        lambda w: reverse("contacts:outbox_retry", args=[_failed_outbox_row().pk]),
        region=NONE,  # installation-wide (ADR 0131)
        method="post",
        expect={"registry_admin": 302},
    ),
    # Region norms (ADR 0091): the region's steering member and registry administrator.
    # To the user's own region's norms.
    Case("contacts:norms", lambda w: reverse("contacts:norms"), expect=NORM_SETTERS_REDIRECT, region=NONE),
    Case(
        "contacts:norms_region",
        lambda w: reverse("contacts:norms_region", args=[w.region.pk]),
        expect=NORM_SETTERS,
    ),
    Case(
        "contacts:norms_region",
        lambda w: reverse("contacts:norms_region", args=[f.RegionFactory(code="OVR", name="Overkant").pk]),
        expect={"steering_member": 404, "registry_admin": 404},
        label="other region",
    ),
    Case(
        "contacts:norms_region",
        lambda w: reverse("contacts:norms_region", args=[w.region.pk]),
        method="post",
        data=lambda w: {
            "valid_from": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            "decision_days": "6",
            "help_started_days": "21",
            "escalation_margin_days": "4",
        },
        expect={"steering_member": 302, "registry_admin": 302},
    ),
    Case(
        "contacts:import_confirm",
        lambda w: reverse("contacts:import_confirm"),
        method="post",
        data=lambda w: {},
        expect={"registry_admin": 302},
        region=NONE,  # confirms the user's own pending import (tests/contacts/test_import.py)
    ),
]
