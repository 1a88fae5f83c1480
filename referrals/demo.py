"""Demo referrals in every state for the demo schools, some over the waiting norm (the
escalated state comes from escalations/demo.py, which runs after this module).

Idempotent: every demo referral has a fixed UUID derived from its demo key; a referral that
exists is left alone. The children are clearly fictional.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from contacts.arrangements import current_for_school
from contacts.demo import BETUWE_DOMAIN
from contacts.models import CareProvider, School, User
from portal.workdays import nth_working_day_back
from referrals.models import Consent, Guardian, Referral, ReferralDomain, ReferralEvent
from referrals.routing import route_for
from referrals.transition import latest_birth_for_adult_on
from referrals.workflow import transition

NAMESPACE = uuid.UUID("6f1d3c1e-8a4b-4c55-9a8e-0d7f2b7a1c01")
DOMAIN = "demo.tandem.test"

PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_triage": ["submit", "take_up"],
    "returned": ["submit", "take_up", "return"],
    "accepted": ["submit", "take_up", "accept"],
    "declined": ["submit", "take_up", "decline"],
    "help_started": ["submit", "take_up", "accept", "start_help"],
    "closed": ["submit", "take_up", "accept", "start_help", "close"],
    # Helped through the school's collective arrangement (ADR 0161).
    "arrangement": ["submit", "take_up", "accept_arrangement"],
    "arrangement_help": ["submit", "take_up", "accept_arrangement", "start_help"],
    "withdrawn": ["submit", "withdraw"],
    "lapsed": ["submit", "take_up", "return", "lapse"],
}

# key, school (brin, vestiging), coordinator, first name, last name, age, state, submitted N working days ago
REFERRALS = [
    ("esdoorn-1", ("99AA", "00"), "ib", "Demi", "Voorbeeld", 9, "draft", None),
    ("esdoorn-2", ("99AA", "00"), "ib", "Fenna", "Proefmans", 7, "submitted", 1),
    ("esdoorn-3", ("99AA", "00"), "ib", "Gijs", "Testerink", 10, "submitted", 8),
    ("esdoorn-4", ("99AA", "00"), "ib", "Hanna", "Oefening", 13, "in_triage", 4),
    ("esdoorn-5", ("99AA", "00"), "ib", "Ivo", "Fictief", 8, "returned", 3),
    ("esdoorn-6", ("99AA", "00"), "ib", "Jasmijn", "Verzonnen", 11, "accepted", 12),
    ("esdoorn-7", ("99AA", "00"), "ib", "Kees", "Denkbeeld", 6, "declined", 15),
    ("esdoorn-8", ("99AA", "00"), "ib", "Lotte", "Schijnbaar", 12, "help_started", 30),
    ("esdoorn-9", ("99AA", "00"), "ib", "Milan", "Zogenaamd", 9, "closed", 60),
    ("esdoorn-10", ("99AA", "00"), "ib", "Quinten", "Bedacht", 8, "withdrawn", 5),
    ("esdoorn-11", ("99AA", "00"), "ib", "Roos", "Gefingeerd", 10, "lapsed", 40),
    # A pupil who turns 18 soon: the referral page shows the transition task (ADR 0153).
    ("baken-1", ("99AE", "00"), "ib", "Yara", "Overgangs", 17, "help_started", 25),
    # Helped through the school's collective arrangement (ADR 0161).
    ("esdoorn-12", ("99AA", "00"), "ib", "Sara", "Samenhulp", 9, "arrangement", 6),
    ("esdoorn-13", ("99AA", "00"), "ib", "Tijn", "Klasgenoot", 11, "arrangement_help", 18),
    ("kompas-4", ("99AB", "00"), "ib2", "Uma", "Schoolzorg", 8, "arrangement_help", 9),
    ("appelgaard-4", ("98AA", "00"), f"ib@{BETUWE_DOMAIN}", "Wout", "Rivierland", 9, "arrangement_help", 7),
    ("kompas-1", ("99AB", "00"), "ib2", "Noor", "Voorbeeldig", 10, "submitted", 6),
    ("kompas-2", ("99AB", "00"), "ib2", "Otto", "Probeersel", 7, "in_triage", 2),
    ("kompas-3", ("99AB", "00"), "ib2", "Pien", "Nepstra", 9, "draft", None),
    # The second region (ADR 0123): its coordinator's e-mail is given in full.
    ("appelgaard-1", ("98AA", "00"), f"ib@{BETUWE_DOMAIN}", "Sem", "Betuwsma", 8, "submitted", 3),
    ("appelgaard-2", ("98AA", "00"), f"ib@{BETUWE_DOMAIN}", "Tess", "Uiterwaard", 10, "in_triage", 6),
    ("appelgaard-3", ("98AA", "00"), f"ib@{BETUWE_DOMAIN}", "Vera", "Kersenhof", 13, "accepted", 14),
]


# Demo referrals whose pupil turns 18 this many days from today (instead of the age's date).
TURNS_18_IN_DAYS = {"baken-1": 75}


# Requests without a pupil (ADR 0154): key, school, coordinator, kind, group name, size, state,
# submitted N working days ago.
GROUP_REQUESTS = [
    ("esdoorn-groep-1", ("99AA", "00"), "ib", "group", "groep 6b", 28, "submitted", 2),
    ("esdoorn-school-1", ("99AA", "00"), "ib", "school_wide", "", None, "in_triage", 5),
]


def _date_of_birth(key, age):
    if key in TURNS_18_IN_DAYS:
        return latest_birth_for_adult_on(
            timezone.localdate() + datetime.timedelta(days=TURNS_18_IN_DAYS[key])
        )
    return _years_ago(age)


def _years_ago(years):
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(days=40)


@transaction.atomic
def seed(ctx):
    created = 0
    providers = CareProvider.objects.order_by("name")
    for key, (brin, vest), ib, first, last, age, state, days_ago in REFERRALS:
        demo_uuid = uuid.uuid5(NAMESPACE, key)
        if Referral.objects.filter(uuid=demo_uuid).exists():
            continue
        school = School.objects.get(brin=brin, vestiging=vest)
        coordinator = User.objects.get(email=ib if "@" in ib else f"{ib}@{DOMAIN}")
        # A care provider of the school's own region.
        region = school.municipality.region
        provider = providers.filter(region_id=region.parent_id or region.pk).first() or providers.first()
        route = route_for(school)
        worker = User.objects.filter(
            memberships__role="district_worker", memberships__district_team=route.team
        ).first()
        referral = Referral.objects.create(
            uuid=demo_uuid,
            school=school,
            home_municipality=school.municipality,
            created_by=coordinator,
            child_first_name=first,
            child_last_name=last,
            child_date_of_birth=_date_of_birth(key, age),
            child_group="groep 6" if age < 12 else "klas 2",
            question="Demo: zorgen over gedrag en concentratie in de klas.",
            already_done="Demo: basisondersteuning en een groepsplan.",
            goals="Demo: de leerling kan weer een dagdeel rustig meedoen.",
            urgency="high" if key.endswith("-3") else "normal",
            urgency_reason="Demo: thuissituatie onder druk." if key.endswith("-3") else "",
            desired_form="individual",
            current_help="Demo: geen.",
        )
        ReferralDomain.objects.create(referral=referral, domain="behaviour")
        ReferralDomain.objects.create(referral=referral, domain="social_emotional")
        guardian = Guardian.objects.create(
            referral=referral, name=f"Ouder {last}", relation="ouder", has_custody=True
        )
        Consent.objects.create(
            referral=referral,
            giver="parent",
            guardian=guardian,
            given_on=timezone.localdate() - datetime.timedelta(days=50),
            form="written",
            recipients="wijkteam",
            recorded_by=coordinator,
        )
        if age >= 12:
            Consent.objects.create(
                referral=referral,
                giver="child",
                given_on=timezone.localdate() - datetime.timedelta(days=50),
                form="verbal",
                recipients="wijkteam",
                recorded_by=coordinator,
            )
        for action in PATHS[state]:
            changes, actor, note = {}, worker, ""
            if action == "submit":
                changes = {"routed_team": route.team, "routing_reason": route.reason}
                actor = coordinator
            elif action == "take_up":
                changes = {"assigned_to": worker}
            elif action == "return":
                note = "Demo: kunt u het groepsplan toevoegen?"
            elif action == "accept":
                changes = {
                    "care_provider": provider,
                    "planned_help_form": "individual",
                    "expected_start": timezone.localdate() + datetime.timedelta(days=14),
                    "joint_deployment": True,
                }
            elif action == "accept_arrangement":
                arrangement = current_for_school(school).first()
                changes = {"collective_arrangement": arrangement}
                note = arrangement.name
            elif action == "decline":
                changes = {
                    "decline_reason": "voorliggend_veld",
                    "decline_explanation": "Demo: past bij het jongerenwerk.",
                }
            elif action == "close":
                changes = {"close_outcome": "goals_met", "close_reason": "Demo: doelen bereikt."}
            elif action == "withdraw":
                actor, note = coordinator, "Demo: de ouders hebben zelf hulp gevonden."
            elif action == "lapse":
                actor, note = None, "Demo: de school gaf geen antwoord op de vraag."
            referral = transition(referral, action, actor, note=note, **changes)
        if days_ago:
            _backdate(referral, days_ago)
        created += 1
    created += _seed_group_requests()
    if ctx.get("stdout"):
        total = len(REFERRALS) + len(GROUP_REQUESTS)
        ctx["stdout"].write(f"Demo referrals: {created} created, {total - created} already there.")
    return created


def _seed_group_requests():
    """A question about a class and one about the whole school: no pupil, no consent."""
    created = 0
    for key, (brin, vest), ib, kind, group_name, group_size, state, days_ago in GROUP_REQUESTS:
        demo_uuid = uuid.uuid5(NAMESPACE, key)
        if Referral.objects.filter(uuid=demo_uuid).exists():
            continue
        school = School.objects.get(brin=brin, vestiging=vest)
        coordinator = User.objects.get(email=f"{ib}@{DOMAIN}")
        route = route_for(school)
        worker = User.objects.filter(
            memberships__role="district_worker", memberships__district_team=route.team
        ).first()
        referral = Referral.objects.create(
            uuid=demo_uuid,
            school=school,
            created_by=coordinator,
            subject_kind=kind,
            group_name=group_name,
            group_size=group_size,
            question=(
                "Demo: de groep is onrustig na de pauze; er wordt veel gepest."
                if kind == "group"
                else "Demo: een ouderavond en teamscholing over omgaan met scheiding."
            ),
            already_done="Demo: klassenafspraken en een gesprek met de groep.",
            goals="Demo: rust en veiligheid in de groep.",
            desired_form=kind,
        )
        ReferralDomain.objects.create(referral=referral, domain="social_emotional")
        for action in PATHS[state]:
            changes, actor = {}, worker
            if action == "submit":
                changes = {"routed_team": route.team, "routing_reason": route.reason}
                actor = coordinator
            elif action == "take_up":
                changes = {"assigned_to": worker}
            referral = transition(referral, action, actor, **changes)
        if days_ago:
            _backdate(referral, days_ago)
        created += 1
    return created


def _backdate(referral, working_days):
    """Move the measured moments back so waiting times (and some norms exceeded) show."""
    start = timezone.make_aware(
        datetime.datetime.combine(
            nth_working_day_back(timezone.localdate(), working_days + 1), datetime.time(9)
        )
    )
    shift = timezone.now() - start
    fields = {}
    for name in (
        "first_submitted_at",
        "submitted_at",
        "decided_at",
        "help_started_at",
        "closed_at",
        "ended_at",
    ):
        value = getattr(referral, name)
        if value is not None:
            fields[name] = value - shift
    Referral.objects.filter(pk=referral.pk).update(**fields)
    for event in ReferralEvent.objects.filter(referral=referral):
        ReferralEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
