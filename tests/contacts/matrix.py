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
THEME_DATA = {"display_name": "Testregio", "primary_color": "#0b4f6c", "primary_text_color": "#ffffff"}
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


def _invitation(w):
    invitation, _token = f.make_invitation("district_worker", w.district_team, email="resend@example.test")
    return invitation


def _foreign_invitation(w):
    region = f.RegionFactory(code="FRN", name="Vreemde regio")
    invitation, _token = f.make_invitation("steering_member", region, email="vreemd@example.test")
    return invitation


def _open_invitation_seed(w):
    """An open invitation of the region and the region's schools, as the invite page shows them."""
    invitation, _token = f.make_invitation("district_worker", w.district_team, email="open@example.test")
    return [invitation.user.email, w.school.name]


def _invitation_token(w):
    _invitation, token = f.make_invitation("school_coordinator", w.school)
    return token


def _national_seed(w):
    """A person of the region's school, so the people list has someone to show the region of."""
    _person_of_school(w)
    return []


def _own_organisations(w):
    """How the region's organisations show in a form's choices or the coverage lists."""
    return [w.school.name, w.other_school.name, w.municipality.name, w.other_municipality.name]


def _coverage_gaps(w):
    """The coverage page names the region's gaps: a school without a tandem, a municipality
    without a fixed contact."""
    return [w.other_school.name, w.municipality.name, w.other_municipality.name]


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
        seed=_coverage_gaps,
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
    # The region's house style (ADR 0164): its registry administrator only.
    Case("contacts:theme", lambda w: reverse("contacts:theme"), expect={"registry_admin": 302}, region=NONE),
    Case(
        "contacts:theme_region",
        lambda w: reverse("contacts:theme_region", args=[w.region.pk]),
        expect={"registry_admin": 200},
    ),
    Case(
        "contacts:theme_region",
        lambda w: reverse("contacts:theme_region", args=[w.subregion.pk]),
        expect={"registry_admin": 404},
        label="subregion",
    ),
    Case(
        "contacts:theme_region",
        lambda w: reverse("contacts:theme_region", args=[f.RegionFactory(code="OVT", name="Overkant").pk]),
        expect={"registry_admin": 404},
        label="other region",
    ),
    Case(
        "contacts:theme_region",
        lambda w: reverse("contacts:theme_region", args=[w.region.pk]),
        method="post",
        data=lambda w: THEME_DATA,
        expect={"registry_admin": 302},
    ),
    Case(
        "contacts:import_confirm",
        lambda w: reverse("contacts:import_confirm"),
        method="post",
        data=lambda w: {},
        expect={"registry_admin": 302},
        region=NONE,  # confirms the user's own pending import (tests/contacts/test_import.py)
    ),
    Case(
        "contacts:invite",
        lambda w: reverse("contacts:invite"),
        expect=ADMIN,
        region=LIST,
        seed=_open_invitation_seed,
    ),
    Case(
        "contacts:invite",
        lambda w: reverse("contacts:invite"),
        method="post",
        data=lambda w: {
            "email": "matrix-uitnodiging@example.test",
            "full_name": "Mat Rix",
            "organisation": f"school:{w.school.pk}",
            "role": "school_coordinator",
        },
        expect={"registry_admin": 302},
        region=NONE,
        # the other region's administrator may not invite into this region's school: the
        # organisation is not among the choices (ADR 0123)
        abroad={"registry_admin": 200},
    ),
    Case(
        "contacts:invitation_resend",
        lambda w: reverse("contacts:invitation_resend", args=[_invitation(w).pk]),
        method="post",
        expect={"registry_admin": 302},
    ),
    Case(
        "contacts:invitation_resend",
        lambda w: reverse("contacts:invitation_resend", args=[_foreign_invitation(w).pk]),
        method="post",
        expect={"registry_admin": 404},
        label="other region",
    ),
    # The invitation link opens without login, for anyone who has it (ADR 0135); a forged
    # one is a page saying so (404), as is a used or expired one (410).
    Case(
        "invitations:accept",
        lambda w: reverse("invitations:accept", args=[_invitation_token(w)]),
        default=200,
        anonymous=200,
        region=NONE,  # the link is the credential: whoever holds it sees the page (ADR 0135)
    ),
    Case(
        "invitations:accept",
        lambda w: reverse("invitations:accept", args=["vervalst" * 8]),
        default=404,
        anonymous=404,
        label="forged",
    ),
]


# --- Accounts of the region (ADR 0137): the registry administrator; a foreign region's account
# or membership is a 404.


def _foreign_member(w):
    """An account of another region (Betuwe), made once per world."""
    if "betuwe_member" not in w.extra:
        region = f.RegionFactory(code="BTW", name="Regio Betuwe")
        sub = f.SubregionFactory(code="BTW-A", name="Betuwe", parent=region)
        municipality = f.MunicipalityFactory(cbs_code="GM0281", name="Tiel", region=sub)
        partnership = f.PartnershipFactory(code="PO0981", name="SWV Betuwe", region=sub)
        school = f.SchoolFactory(
            brin="98AA", name="Appelgaard", partnership=partnership, municipality=municipality
        )
        w.extra["betuwe_member"] = f.make_member("school_coordinator", school, email="ib@betuwe.example.test")
    return w.extra["betuwe_member"]


def _account_target(w):
    """A school coordinator of the world's region whom the administrator acts on."""
    if "account_target" not in w.extra:
        w.extra["account_target"] = f.make_member("school_coordinator", w.school, email="target@example.test")
    return w.extra["account_target"]


def _target_membership(w):
    return _account_target(w).memberships.get()


ADMIN_REDIRECT = {"registry_admin": 302}
FOREIGN_404 = {"registry_admin": 404}

CASES += [
    Case(
        "contacts:accounts",
        lambda w: reverse("contacts:accounts"),
        expect=ADMIN,
        region=LIST,
        seed=lambda w: [w.user("school_coordinator").email, w.user("district_worker").email],
    ),
    Case(
        "contacts:account_detail",
        lambda w: reverse("contacts:account_detail", args=[_account_target(w).pk]),
        expect=ADMIN,
    ),
    Case(
        "contacts:account_detail",
        lambda w: reverse("contacts:account_detail", args=[_foreign_member(w).pk]),
        expect=FOREIGN_404,
        label="foreign region",
    ),
    Case(
        "contacts:membership_add",
        lambda w: reverse("contacts:membership_add", args=[_account_target(w).pk]),
        expect=ADMIN,
    ),
    Case(
        "contacts:membership_add",
        lambda w: reverse("contacts:membership_add", args=[_account_target(w).pk]),
        method="post",
        data=lambda w: {"role": "school_coordinator", "organisation": f"school:{w.other_school.pk}"},
        expect=ADMIN_REDIRECT,
        label="save",
    ),
    Case(
        "contacts:membership_add",
        lambda w: reverse("contacts:membership_add", args=[_foreign_member(w).pk]),
        expect=FOREIGN_404,
        label="foreign region",
    ),
    Case(
        "contacts:membership_end",
        lambda w: reverse("contacts:membership_end", args=[_target_membership(w).pk]),
        expect=ADMIN,
    ),
    Case(
        "contacts:membership_end",
        lambda w: reverse("contacts:membership_end", args=[_foreign_member(w).memberships.get().pk]),
        method="post",
        data=lambda w: {"ended_on": datetime.date.today().isoformat()},
        expect=FOREIGN_404,
        label="foreign region",
    ),
    *[
        Case(
            f"contacts:{name}",
            lambda w, name=name: reverse(f"contacts:{name}", args=[_account_target(w).pk]),
            method="post",
            expect=ADMIN_REDIRECT,
        )
        for name in ("account_deactivate", "account_reactivate", "account_reset_two_factor")
    ],
    *[
        Case(
            f"contacts:{name}",
            lambda w, name=name: reverse(f"contacts:{name}", args=[_foreign_member(w).pk]),
            method="post",
            expect=FOREIGN_404,
            label="foreign region",
        )
        for name in ("account_deactivate", "account_reactivate", "account_reset_two_factor")
    ],
    Case(
        "contacts:account_deactivate",
        lambda w: reverse("contacts:account_deactivate", args=[_account_target(w).pk]),
        expect={"registry_admin": 405},
        label="GET refused",
    ),
]


# --- Collective arrangements (ADR 0161): the region's members read them, its registry
# administrator records and edits them; another region's arrangement does not exist (404).


def _arrangement(w):
    return f.arrangement_of(w, name="Arrangement Samen in Aan")


def _arrangement_seed(w):
    """An arrangement of the region, as the list shows it, and the region's schools the filter
    and the form offer."""
    return [_arrangement(w).name, w.school.name, w.other_school.name]


def _foreign_arrangement(w):
    region = f.RegionFactory(code="ARR", name="Regio Arrangement")
    return f.CollectiveArrangementFactory(region=region, name="Vreemd arrangement")


ARRANGEMENT_READERS = {"no_membership": 403}

CASES += [
    Case(
        "contacts:arrangement_list",
        lambda w: reverse("contacts:arrangement_list"),
        default=200,
        expect=ARRANGEMENT_READERS,
        region=LIST,
        seed=_arrangement_seed,
    ),
    Case(
        "contacts:arrangement_list",
        lambda w: reverse("contacts:arrangement_list"),
        method="post",
        default=405,
        expect={"no_membership": 403},
        label="POST refused",
        region=NONE,
    ),
    Case(
        "contacts:arrangement_detail",
        lambda w: reverse("contacts:arrangement_detail", args=[_arrangement(w).pk]),
        default=200,
        expect=ARRANGEMENT_READERS,
    ),
    Case(
        "contacts:arrangement_detail",
        lambda w: reverse("contacts:arrangement_detail", args=[_foreign_arrangement(w).pk]),
        default=404,
        expect=ARRANGEMENT_READERS,
        label="foreign region",
    ),
    Case(
        "contacts:arrangement_create",
        lambda w: reverse("contacts:arrangement_create"),
        expect=ADMIN,
        region=LIST,
        seed=lambda w: [w.school.name, w.other_school.name, w.care_provider.name],  # the choices
    ),
    Case(
        "contacts:arrangement_create",
        lambda w: reverse("contacts:arrangement_create"),
        method="post",
        data=lambda w: {"name": "", "capacity": "0"},
        expect=ADMIN,  # the form again, with the messages
        label="bad input",
        region=NONE,
    ),
    Case(
        "contacts:arrangement_edit",
        lambda w: reverse("contacts:arrangement_edit", args=[_arrangement(w).pk]),
        expect=ADMIN,
    ),
    Case(
        "contacts:arrangement_edit",
        lambda w: reverse("contacts:arrangement_edit", args=[_arrangement(w).pk]),
        method="post",
        data=lambda w: {"name": "Nieuw", "education_percentage": "150"},
        expect=ADMIN,
        label="bad input",
    ),
    Case(
        "contacts:arrangement_edit",
        lambda w: reverse("contacts:arrangement_edit", args=[_foreign_arrangement(w).pk]),
        default=404,
        expect=ARRANGEMENT_READERS,
        label="foreign region",
    ),
]
