"""Referral URLs × every actor (ADR 0053): a foreign referral answers 404, a forbidden
action 403. Referrals are created inside the url lambdas."""

import datetime

from django.urls import reverse
from django.utils import timezone

from escalations.models import Escalation
from referrals.models import Attachment, Transition
from referrals.transition import latest_birth_for_adult_on
from tests.contacts.factories import ContactAssignmentFactory, arrangement_of
from tests.helpers.matrix import LIST, Case
from tests.referrals.factories import ConsentFactory, GuardianFactory, referral_in

SC = "school_coordinator"
DW = "district_worker"
OWN_SCHOOL = {SC: 200}
BOTH_SIDES = {SC: 200, DW: 200}


def _url(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def _referral(status, **kwargs):
    def make(w):
        return referral_in(w, status, **kwargs).uuid

    return make


def _in_triage_with_arrangement(w):
    """A referral in triage of a school with a current collective arrangement (ADR 0161)."""
    arrangement_of(w)
    return referral_in(w, "in_triage").uuid


def _attachment_url(w):
    from django.core.files.base import ContentFile

    referral = referral_in(w, "submitted")
    attachment = Attachment(
        referral=referral,
        original_name="opp.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=w.user(SC),
    )
    attachment.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return reverse("referrals:attachment_download", args=[referral.uuid, attachment.pk])


def _attachment(w, status, side="school"):
    from django.core.files.base import ContentFile

    referral = referral_in(w, status)
    attachment = Attachment(
        referral=referral,
        original_name="opp.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=w.user(SC),
        side=side,
    )
    attachment.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def _attachment_remove_url(status, side="school"):
    def url(w):
        attachment = _attachment(w, status, side)
        return reverse("referrals:attachment_remove", args=[attachment.referral.uuid, attachment.pk])

    return url


def _document():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")


def _guardian_remove_url(w):
    referral = referral_in(w, "draft")
    guardian = GuardianFactory(referral=referral)
    return reverse("referrals:guardian_remove", args=[referral.uuid, guardian.pk])


def _consent_withdraw_url(w):
    referral = referral_in(w, "draft")
    consent = ConsentFactory(referral=referral, guardian=referral.guardians.first(), recorded_by=w.user(SC))
    return reverse("referrals:consent_withdraw", args=[referral.uuid, consent.pk])


def _turning_18(w):
    """An open referral of a pupil who turns 18 in 60 days: the transition task is due."""
    birth = latest_birth_for_adult_on(timezone.localdate() + datetime.timedelta(days=60))
    return referral_in(w, "help_started", child_date_of_birth=birth).uuid


def _next_step(w):
    """A step not yet ticked on the checklist, so that each party that may tick gets to."""
    record = Transition.objects.order_by("-pk").first()
    step = "municipality_contact" if record and record.adult_services_at else "adult_services"
    return {f"transition-{step}": "on", "transition-municipality_contact_note": "Wmo-loket"}


def _informed_summary_url(w):
    """A referral of world.school for a pupil of the other municipality, whose vaste
    contactpersoon is the other municipality's officer (ADR 0095)."""
    ContactAssignmentFactory(
        person=w.user("other_municipal_officer").person, municipality=w.other_municipality
    )
    referral = referral_in(w, "submitted", home_municipality=w.other_municipality)
    return reverse("referrals:summary", args=[referral.uuid])


def _decided_escalation(w):
    referral = referral_in(w, "escalated")
    Escalation.objects.filter(referral=referral).update(state="decided")
    return reverse("referrals:detail", args=[referral.uuid])


def _listed(w):
    """How the region's referrals show on a list page (their links), and its school in a form."""
    return [
        reverse("referrals:detail", args=[referral_in(w, status).uuid])
        for status in ("draft", "submitted", "escalated")
    ]


def _inbox_listed(w):
    """How the region's referrals waiting for triage show in the district team's inbox."""
    return [
        reverse("referrals:detail", args=[referral_in(w, status).uuid])
        for status in ("submitted", "in_triage")
    ]


def _own_school(w):
    return [w.school.name, w.other_school.name]


CASES = [
    Case(
        "referrals:list",
        _url("referrals:list"),
        expect={SC: 200, "other_school_coordinator": 200},
        region=LIST,
        seed=_listed,
    ),
    Case(
        "referrals:create",
        _url("referrals:create"),
        expect={SC: 200, "other_school_coordinator": 200},
        region=LIST,
        seed=_own_school,
    ),
    Case(
        "referrals:create",
        _url("referrals:create"),
        method="post",
        data=lambda w: {"child_first_name": "x\x00"},
        expect={SC: 200, "other_school_coordinator": 200},
        label="invalid",
        region=LIST,
        seed=_own_school,
    ),
    Case(
        "referrals:inbox",
        _url("referrals:inbox"),
        expect={DW: 200, "other_district_worker": 200},
        region=LIST,
        seed=_inbox_listed,
    ),
    Case(
        "referrals:detail", _url("referrals:detail", _referral("submitted")), default=404, expect=BOTH_SIDES
    ),
    Case(
        "referrals:detail",
        _url("referrals:detail", _referral("draft")),
        default=404,
        expect=OWN_SCHOOL,
        label="draft",
    ),
    Case(
        "referrals:detail",
        _url("referrals:detail", _referral("escalated")),
        default=404,
        expect={**BOTH_SIDES, "partnership_director": 200, "municipal_officer": 200},
        label="escalated",
    ),
    Case("referrals:detail", _decided_escalation, default=404, expect=BOTH_SIDES, label="escalation decided"),
    Case(
        "referrals:detail",
        _url("referrals:detail", _referral("submitted", other=True)),
        default=404,
        expect={"other_school_coordinator": 200, "other_district_worker": 200},
        label="other school",
    ),
    Case(
        "referrals:summary",
        _informed_summary_url,
        default=404,
        expect={**BOTH_SIDES, "other_municipal_officer": 200},
    ),
    Case(
        "referrals:summary",
        _url("referrals:summary", _referral("draft")),
        default=404,
        expect=OWN_SCHOOL,
        label="draft",
    ),
    Case("referrals:edit", _url("referrals:edit", _referral("draft")), default=404, expect=OWN_SCHOOL),
    Case(
        "referrals:edit",
        _url("referrals:edit", _referral("submitted")),
        default=404,
        expect={SC: 403, DW: 403},
        label="submitted",
    ),
    Case(
        "referrals:edit",
        _url("referrals:edit", _referral("draft")),
        method="post",
        data=lambda w: {"child_date_of_birth": "2999-01-01", "school": w.school.pk, "urgency": "normal"},
        default=404,
        expect=OWN_SCHOOL,
        label="invalid",
    ),
    Case(
        "referrals:submit",
        _url("referrals:submit", _referral("draft", child_first_name="")),
        method="post",
        data=lambda w: {},
        default=404,
        expect=OWN_SCHOOL,
        label="incomplete",
    ),
    Case(
        "referrals:guardian_add",
        _url("referrals:guardian_add", _referral("draft")),
        method="post",
        data=lambda w: {"guardian-name": ""},
        default=404,
        expect=OWN_SCHOOL,
    ),
    Case(
        "referrals:guardian_remove",
        _guardian_remove_url,
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 302},
    ),
    Case(
        "referrals:consent_add",
        _url("referrals:consent_add", _referral("draft")),
        method="post",
        data=lambda w: {"consent-giver": "parent"},
        default=404,
        expect=OWN_SCHOOL,
    ),
    Case(
        "referrals:consent_add",
        _url("referrals:consent_add", _referral("in_triage")),
        method="post",
        data=lambda w: {"consent-giver": "parent"},
        default=404,
        expect={SC: 200, DW: 403},
        label="in triage",
    ),
    Case(
        "referrals:consent_withdraw",
        _consent_withdraw_url,
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 302},
    ),
    Case(
        "referrals:attachment_upload",
        _url("referrals:attachment_upload", _referral("draft")),
        method="post",
        data=lambda w: {},
        default=404,
        expect=OWN_SCHOOL,
    ),
    Case("referrals:attachment_download", _attachment_url, default=404, expect=BOTH_SIDES),
    # The one-page form (ADR 0163): check your answers, removing a file, the team's documents,
    # and the old add-steps' URLs, which a bookmark opens on the form's section.
    Case("referrals:check", _url("referrals:check", _referral("draft")), default=404, expect=OWN_SCHOOL),
    Case(
        "referrals:check",
        _url("referrals:check", _referral("submitted")),
        default=404,
        expect={SC: 403, DW: 403},
        label="submitted",
    ),
    Case(
        "referrals:check",
        _url("referrals:check", _referral("draft", other=True)),
        default=404,
        expect={"other_school_coordinator": 200},
        label="other school",
    ),
    Case(
        "referrals:attachment_remove",
        _attachment_remove_url("draft"),
        default=404,
        expect=OWN_SCHOOL,
    ),
    Case(
        "referrals:attachment_remove",
        _attachment_remove_url("draft"),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 302},
        label="confirmed",
    ),
    Case(
        "referrals:attachment_remove",
        _attachment_remove_url("submitted"),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 403, DW: 403},
        label="submitted",
    ),
    Case(
        "referrals:attachment_remove",
        _attachment_remove_url("returned", side="team"),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 403, DW: 403},
        label="the team's document",
    ),
    Case(
        "referrals:document_add",
        _url("referrals:document_add", _referral("accepted")),
        method="post",
        data=lambda w: {"document-file": _document()},
        default=404,
        expect={SC: 403, DW: 302},
    ),
    Case(
        "referrals:document_add",
        _url("referrals:document_add", _referral("in_triage")),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 403, DW: 200},
        label="in triage, no file",
    ),
    Case(
        "referrals:document_add",
        _url("referrals:document_add", _referral("submitted")),
        method="post",
        data=lambda w: {"document-file": _document()},
        default=404,
        expect={SC: 403, DW: 403},
        label="not yet taken up",
    ),
    Case(
        "referrals:attachment_upload",
        _url("referrals:attachment_upload", _referral("draft")),
        default=404,
        expect={SC: 302},
        label="bookmark",
    ),
    Case(
        "referrals:guardian_add",
        _url("referrals:guardian_add", _referral("draft")),
        default=404,
        expect={SC: 302},
        label="bookmark",
    ),
    Case(
        "referrals:message",
        _url("referrals:message", _referral("submitted")),
        method="post",
        data=lambda w: {"message-body": ""},
        default=404,
        expect=BOTH_SIDES,
    ),
    Case(
        "referrals:act",
        _url("referrals:act", _referral("submitted"), "take_up"),
        method="post",
        data=lambda w: {"take_up-assignee": ""},
        default=404,
        expect={SC: 403, DW: 200},
    ),
    Case(
        "referrals:act",
        _url("referrals:act", _referral("submitted"), "accept"),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 403, DW: 302},
        label="not yet possible",
    ),
    Case(
        "referrals:act",
        _url("referrals:act", _in_triage_with_arrangement, "accept_arrangement"),
        method="post",
        data=lambda w: {"accept_arrangement-arrangement": ""},
        default=404,
        expect={SC: 403, DW: 200},
        label="through the arrangement",
    ),
    Case(
        "referrals:act",
        _url("referrals:act", _referral("in_triage"), "accept_arrangement"),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 403, DW: 302},
        label="no arrangement at the school",
    ),
    Case(
        "referrals:act",
        _url("referrals:act", _referral("returned"), "resubmit"),
        method="post",
        data=lambda w: {"resubmit-answer": ""},
        default=404,
        expect={SC: 200, DW: 403},
        label="resubmit",
    ),
    Case(
        "referrals:act",
        _url("referrals:act", _referral("in_triage"), "nonsense"),
        method="post",
        data=lambda w: {},
        default=404,
        expect={SC: 403, DW: 403},
        label="unknown action",
    ),
    Case(
        "referrals:transition",
        _url("referrals:transition", _turning_18),
        method="post",
        data=_next_step,
        default=404,
        expect={SC: 302, DW: 302},
    ),
    Case(
        "referrals:transition",
        _url("referrals:transition", _referral("help_started")),
        method="post",
        data=_next_step,
        default=404,
        expect={SC: 403, DW: 403},
        label="not due (a child of 10)",
    ),
]

# Cooperation feedback (ADR 0151): the parties of an ended referral answer; other actors of the
# region do not find the referral (404); the pending list is the IB-er's and the worker's.
FEEDBACK_CASES = [
    Case(
        "referrals:feedback", _url("referrals:feedback", _referral("closed")), expect=BOTH_SIDES, default=404
    ),
    Case(
        "referrals:feedback",
        _url("referrals:feedback", _referral("closed")),
        method="post",
        data=lambda w: {"cooperation": "yes", "route_clear": "partly"},
        expect={SC: 302, DW: 302},
        default=404,
    ),
    Case(
        "referrals:feedback",
        _url("referrals:feedback", _referral("help_started")),
        expect={SC: 403, DW: 403},
        default=404,
        label="still running",
    ),
    Case(
        "referrals:feedback_pending",
        lambda w: reverse("referrals:feedback_pending"),
        expect={SC: 200, DW: 200, "other_school_coordinator": 200, "other_district_worker": 200},
        region=LIST,
        seed=lambda w: [referral_in(w, "closed").reference],
    ),
]


def _foreign_region_closed(w):
    """A closed referral of a school in another region: nobody of the world's region finds it."""
    from django.utils import timezone

    from tests.contacts import factories as f
    from tests.referrals.factories import ReferralFactory

    region = f.RegionFactory(code="FRN", name="Vreemde regio")
    sub = f.SubregionFactory(code="FRN-A", name="Vreemd A", parent=region)
    municipality = f.MunicipalityFactory(cbs_code="GM0999", name="Vreemdoord", region=sub)
    partnership = f.PartnershipFactory(code="PO0999", name="SWV Vreemd", region=sub)
    school = f.SchoolFactory(brin="99ZZ", partnership=partnership, municipality=municipality)
    referral = ReferralFactory(
        school=school, status="closed", reference="AJS-2026-09999", closed_at=timezone.now()
    )
    return reverse("referrals:feedback", args=[referral.uuid])


FEEDBACK_CASES.append(Case("referrals:feedback", _foreign_region_closed, default=404, label="foreign region"))
CASES += FEEDBACK_CASES
