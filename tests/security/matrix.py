"""Permission-matrix rows for the security pages (test settings: 2FA not required, so a
logged-in user without a device may use the site; tests/security test enforcement)."""

from django.urls import reverse
from django.utils import timezone

from tests.helpers.matrix import LIST, NONE, Case

CASES = [
    Case("security:two_factor", lambda w: reverse("security:two_factor"), region=NONE, default=200),
    Case(
        "security:two_factor_setup", lambda w: reverse("security:two_factor_setup"), region=NONE, default=200
    ),
    # Without a device there is nothing to verify: on to set-up.
    Case(
        "security:two_factor_verify",
        lambda w: reverse("security:two_factor_verify"),
        region=NONE,
        default=302,
    ),
    # Recovery codes need a verified 2FA session; without one: back to the overview.
    Case("security:recovery_codes", lambda w: reverse("security:recovery_codes"), region=NONE, default=302),
    Case(
        "security:two_factor_disable",
        lambda w: reverse("security:two_factor_disable"),
        region=NONE,
        method="post",
        default=302,
    ),
    Case(
        "security:two_factor_disable",
        lambda w: reverse("security:two_factor_disable"),
        region=NONE,
        default=405,
        label="GET refused",
    ),
    Case(
        "security:session_keepalive",
        lambda w: reverse("security:session_keepalive"),
        region=NONE,
        default=204,
        anonymous=401,
    ),
    Case(
        "security:privacy_statement",
        lambda w: reverse("security:privacy_statement"),
        region=NONE,
        default=200,
        anonymous=200,
    ),
    Case(
        "security:accessibility_statement",
        lambda w: reverse("security:accessibility_statement"),
        region=NONE,
        default=200,
        anonymous=200,
    ),
]


def _logged(w):
    """A row of the access log made by a user of the region (ADR 0123: the actor's region)."""
    from portal.audit import log_access
    from portal.models import AccessLog

    log_access(
        w.user("district_worker"),
        AccessLog.Action.VIEW,
        object_type="referrals.referral",
        object_id="1",
        reference="TR-TESTREGIO-1",
    )
    return ["TR-TESTREGIO-1", w.user("district_worker").email]


CASES += [
    Case(
        "security:access_log",
        lambda w: reverse("security:access_log"),
        expect={"privacy_officer": 200},
        region=LIST,
        seed=_logged,
    ),
    Case(
        "security:access_log_export",
        lambda w: reverse("security:access_log_export"),
        expect={"privacy_officer": 200},
        region=LIST,
        seed=_logged,
    ),
]


def _subject_referral(w):
    from tests.referrals.factories import referral_in

    if "subject_referral" not in w.extra:
        w.extra["subject_referral"] = referral_in(w, "submitted", child_last_name="Testregiokind")
    return w.extra["subject_referral"]


def _subject_access_data(w):
    from django.utils import timezone

    referral = _subject_referral(w)
    return {"reference": referral.reference, "received_on": timezone.localdate().isoformat()}


def _subject_seed(w):
    """The region's child: another region's privacy officer does not find them."""
    return [_subject_referral(w).child_last_name]


# The right of access (AVG art. 15): the privacy officer only; every other role 403, as the
# access-log viewer (ADR 0048).
CASES += [
    Case(
        "security:subject_access",
        lambda w: reverse("security:subject_access"),
        expect={"privacy_officer": 200},
        region=NONE,  # the form
    ),
    Case(
        "security:subject_access",
        lambda w: reverse("security:subject_access"),
        method="post",
        data=_subject_access_data,
        expect={"privacy_officer": 200},
        label="preview",
        region=LIST,
        seed=_subject_seed,
    ),
    Case(
        "security:subject_access_pdf",
        lambda w: reverse("security:subject_access_pdf"),
        method="post",
        data=_subject_access_data,
        expect={"privacy_officer": 200},
        region=LIST,
        seed=_subject_seed,
    ),
    Case(
        "security:subject_access_pdf",
        lambda w: reverse("security:subject_access_pdf"),
        expect={"privacy_officer": 405},
        label="GET refused",
        region=NONE,
    ),
]

# The processing register (ADR 0105): the privacy officer only.
CASES += [
    Case(
        "security:register",
        lambda w: reverse("security:register"),
        region=NONE,
        expect={"privacy_officer": 200},
    ),
    Case(
        "security:register_csv",
        lambda w: reverse("security:register_csv"),
        region=NONE,
        expect={"privacy_officer": 200},
    ),
    Case(
        "security:register_pdf",
        lambda w: reverse("security:register_pdf"),
        region=NONE,
        expect={"privacy_officer": 200},
    ),
]


def _request(w):
    from tests.security.factories import request_for

    return request_for(w)


def _foreign_request(w):
    from security.models import DataSubjectRequest
    from tests.security.factories import foreign_region

    officer, _referral = foreign_region()
    return DataSubjectRequest.objects.create(
        region=officer.memberships.get().region,
        kind="access",
        requester_name="Elders",
        requester_relation="parent",
        received_on=timezone.localdate(),
        deadline=timezone.localdate(),
        created_by=officer,
    )


# Data-subject requests (ADR 0106): the privacy officer of the request's region only; every
# other role 403, a request of another region 404.
CASES += [
    Case(
        "security:request_list",
        lambda w: reverse("security:request_list"),
        expect={"privacy_officer": 200},
        region=LIST,
        seed=lambda w: [reverse("security:request_detail", args=[_request(w).pk])],
    ),
    Case(
        "security:request_create",
        lambda w: reverse("security:request_create"),
        region=NONE,
        expect={"privacy_officer": 200},
    ),
    Case(
        "security:request_create",
        lambda w: reverse("security:request_create"),
        region=NONE,
        method="post",
        data=lambda w: {
            "kind": "access",
            "requester_name": "J. de Ouder",
            "requester_relation": "parent",
            "received_on": timezone.localdate().isoformat(),
        },
        expect={"privacy_officer": 302},
        label="register",
    ),
    Case(
        "security:request_detail",
        lambda w: reverse("security:request_detail", args=[_request(w).pk]),
        expect={"privacy_officer": 200},
    ),
    Case(
        "security:request_detail",
        lambda w: reverse("security:request_detail", args=[_foreign_request(w).pk]),
        expect={"privacy_officer": 404},
        label="other region",
    ),
    Case(
        "security:request_act",
        lambda w: reverse("security:request_act", args=[_request(w).pk, "notitie"]),
        method="post",
        data=lambda w: {"note-text": "Gebeld met de ouder"},
        expect={"privacy_officer": 302},
    ),
    Case(
        "security:request_act",
        lambda w: reverse("security:request_act", args=[_foreign_request(w).pk, "notitie"]),
        method="post",
        data=lambda w: {"note-text": "Gebeld met de ouder"},
        expect={"privacy_officer": 404},
        label="other region",
    ),
    Case(
        "security:request_act",
        lambda w: reverse("security:request_act", args=[_request(w).pk, "notitie"]),
        expect={"privacy_officer": 405},
        label="GET refused",
    ),
]


def _breach(w):
    from tests.security.factories import breach_for

    return breach_for(w)


def _foreign_breach(w):
    from security.models import Breach
    from tests.security.factories import foreign_region

    officer, _referral = foreign_region()
    return Breach.objects.create(
        region=officer.memberships.get().region,
        title="Elders",
        description="Elders",
        found_at=timezone.now(),
        created_by=officer,
    )


_DECISION = {
    "decision-notify_authority": "no",
    "decision-notify_authority_reason": "Geen risico",
    "decision-inform_subjects": "no",
    "decision-inform_subjects_reason": "Geen risico",
}

# The breach register (ADR 0108): the privacy officer of the breach's region only; every other
# role 403, a breach of another region 404.
CASES += [
    Case(
        "security:breach_list",
        lambda w: reverse("security:breach_list"),
        expect={"privacy_officer": 200},
        region=LIST,
        seed=lambda w: [reverse("security:breach_detail", args=[_breach(w).pk])],
    ),
    Case(
        "security:breach_create",
        lambda w: reverse("security:breach_create"),
        region=NONE,
        expect={"privacy_officer": 200},
    ),
    Case(
        "security:breach_create",
        lambda w: reverse("security:breach_create"),
        region=NONE,
        method="post",
        data=lambda w: {
            "title": "Lijst gemaild",
            "description": "Verkeerd adres",
            "found_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
        expect={"privacy_officer": 302},
        label="record",
    ),
    Case(
        "security:breach_detail",
        lambda w: reverse("security:breach_detail", args=[_breach(w).pk]),
        expect={"privacy_officer": 200},
    ),
    Case(
        "security:breach_detail",
        lambda w: reverse("security:breach_detail", args=[_foreign_breach(w).pk]),
        expect={"privacy_officer": 404},
        label="other region",
    ),
    Case(
        "security:breach_act",
        lambda w: reverse("security:breach_act", args=[_breach(w).pk, "besluit"]),
        method="post",
        data=lambda w: _DECISION,
        expect={"privacy_officer": 302},
    ),
    Case(
        "security:breach_act",
        lambda w: reverse("security:breach_act", args=[_foreign_breach(w).pk, "besluit"]),
        method="post",
        data=lambda w: _DECISION,
        expect={"privacy_officer": 404},
        label="other region",
    ),
    Case(
        "security:breach_act",
        lambda w: reverse("security:breach_act", args=[_breach(w).pk, "besluit"]),
        expect={"privacy_officer": 405},
        label="GET refused",
    ),
]

# Single sign-on (ADR 0138): the test settings configure no provider, so starting a login
# with one is a 404 for everyone, and a callback without a pending login is the refusal page.
CASES += [
    Case(
        "security:sso_start",
        lambda w: reverse("security:sso_start", args=["onbekend"]),
        default=404,
        anonymous=404,
    ),
    Case(
        "security:sso_callback",
        lambda w: reverse("security:sso_callback"),
        default=403,
        anonymous=403,
        region=NONE,
    ),
]


def _account_record_seed(w):
    """An account record of the region, as the privacy officer's page shows it."""
    from contacts.models import MembershipRecord

    record = MembershipRecord.objects.create(
        kind=MembershipRecord.Kind.ADDED,
        actor=w.user("registry_admin"),
        user=w.user("school_coordinator"),
        user_name="Matrix Record (matrix-record@example.test)",
        region=w.region,
    )
    return [record.user_name]


# The account records (ADR 0137): the privacy officer of the region.
CASES += [
    Case(
        "security:account_records",
        lambda w: reverse("security:account_records"),
        expect={"privacy_officer": 200},
        region=LIST,
        seed=_account_record_seed,
    ),
]
