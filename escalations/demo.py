"""Demo data for escalations and the precedent library (runs after contacts.demo and, when it
exists, referrals.demo). Idempotent: demo referrals have fixed UUIDs, precedents fixed titles.

- an open escalation on funding (ib@ raised it, wijkteam@ added its position): directeur@ and
  beleid@ find it in their inbox;
- a decided escalation whose precedent waits as a draft for directeur@'s review;
- published precedents so the library and the "similar" lists have content;
- mediation before escalation (ADR 0149): begeleidingsgroep@ is the region's mediator (named by
  beheer@); one mediation settled (the referral went on to "accepted"), one not settled (ib@
  may now escalate), and one waiting for the mediator's outcome.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from contacts.demo import DOMAIN
from contacts.models import DistrictTeam, School, User
from escalations.models import (
    CarriedBy,
    Decision,
    Escalation,
    Mediation,
    Mediator,
    Precedent,
    PrecedentDomain,
    Side,
    age_band,
)
from referrals.models import Referral, ReferralDomain
from referrals.workflow import record_event, transition

NAMESPACE = uuid.UUID("6f1d7a52-3c1e-4f57-9a55-5e0d4c1b0e05")

REFERRALS = [
    # key, first name, last name, date of birth, domains, path
    ("open", "Demo-Sanne", "Demo-de Wit", datetime.date(2016, 3, 14), ["learning", "behaviour"], "in_triage"),
    ("decided", "Demo-Milan", "Demo-Bakker", datetime.date(2013, 9, 2), ["social_emotional"], "accepted"),
    (
        "mediation_settled",
        "Demo-Lotte",
        "Demo-Visser",
        datetime.date(2015, 5, 20),
        ["behaviour"],
        "in_triage",
    ),
    ("mediation_not_settled", "Demo-Noah", "Demo-Smit", datetime.date(2014, 1, 8), ["learning"], "in_triage"),
    ("mediation_open", "Demo-Fenna", "Demo-Mulder", datetime.date(2016, 11, 30), ["self_care"], "in_triage"),
]
PATHS = {"in_triage": ["submit", "take_up"], "accepted": ["submit", "take_up", "accept"]}

PRECEDENTS = [
    {
        "title": "Dyslexiebehandeling naast extra ondersteuning op school",
        "reason": "grey_funding",
        "domains": ["learning"],
        "school_type": "po",
        "age_band": "8-11",
        "carried_by": CarriedBy.SHARED,
        "split": "onderwijs draagt de begeleiding in de klas, de gemeente de behandeling",
        "summary": "Een leerling met ernstige enkelvoudige dyslexie had naast behandeling ook "
        "begeleiding in de klas nodig. School en wijkteam wezen naar elkaar voor de kosten.",
        "outcome": "Behandeling via de gemeente (EED), begeleiding in de klas via het "
        "ondersteuningsbudget van het samenwerkingsverband.",
        "rationale": "De behandeling valt onder de Jeugdwet; het toepassen in de klas is "
        "onderwijsondersteuning (Wet passend onderwijs).",
    },
    {
        "title": "Wachtlijst jeugd-GGZ: overbrugging door het wijkteam",
        "reason": "capacity",
        "domains": ["social_emotional"],
        "school_type": "vo",
        "age_band": "12-15",
        "carried_by": CarriedBy.YOUTH_CARE,
        "split": "",
        "summary": "Een leerling met angstklachten stond maanden op een wachtlijst; school kon "
        "de situatie in de klas niet langer opvangen.",
        "outcome": "Het wijkteam biedt overbruggingszorg tot de behandeling start; school "
        "houdt het rooster aan.",
        "rationale": "Wachttijd bij een jeugdhulpaanbieder is een verantwoordelijkheid van de "
        "gemeente; de school blijft verantwoordelijk voor het onderwijsaanbod.",
    },
    {
        "title": "Collectieve begeleiding in een (v)so-groep",
        "reason": "grey_responsibility",
        "domains": ["behaviour", "self_care"],
        "school_type": "so",
        "age_band": "4-7",
        "carried_by": CarriedBy.COLLECTIVE,
        "split": "",
        "summary": "Meerdere leerlingen in dezelfde groep hadden individuele begeleiding "
        "aangevraagd voor vergelijkbare ondersteuning bij zelfredzaamheid.",
        "outcome": "Eén collectief schoolarrangement voor de groep in plaats van losse "
        "individuele indicaties.",
        "rationale": "Collectief inzetten voorkomt versnippering en sluit aan bij de regionale "
        "werkagenda (pilot collectieve financiering).",
    },
]


def _user(local):
    return User.objects.filter(email=f"{local}@{DOMAIN}").first()


def _referral(key, first, last, dob, domains, path, ib, school, team):
    ref_uuid = uuid.uuid5(NAMESPACE, key)
    referral = Referral.objects.filter(uuid=ref_uuid).first()
    if referral is not None:
        return referral, False
    referral = Referral.objects.create(
        uuid=ref_uuid,
        school=school,
        home_municipality=school.municipality,
        routed_team=team,
        routing_reason="Tandem van de school",
        created_by=ib,
        child_first_name=first,
        child_last_name=last,
        child_date_of_birth=dob,
        child_group="groep 5",
        question="Demo-vraag (fictief).",
        already_done="Basisondersteuning (fictief).",
        goals="Demo-doelen (fictief).",
    )
    ReferralDomain.objects.bulk_create([ReferralDomain(referral=referral, domain=d) for d in domains])
    for action in PATHS[path]:
        referral = transition(referral, action, ib)
    return referral, True


@transaction.atomic
def seed(ctx):
    ib, worker, director, officer = _user("ib"), _user("wijkteam"), _user("directeur"), _user("beleid")
    if not all((ib, worker, director, officer)):
        return []
    school = School.objects.get(brin="99AA", vestiging="00")
    team = DistrictTeam.objects.get(name="Demo-buurtteam Utrecht Noordwest")
    partnership, municipality = school.partnership, school.municipality

    for data in PRECEDENTS:
        data = dict(data)
        domains = data.pop("domains")
        precedent, created = Precedent.objects.get_or_create(
            title=data["title"],
            defaults={
                **data,
                "status": Precedent.Status.PUBLISHED,
                "published_at": timezone.now(),
                "published_by": director,
                "partnership": partnership,
                "municipality": municipality,
            },
        )
        if created:
            PrecedentDomain.objects.bulk_create(
                [PrecedentDomain(precedent=precedent, domain=d) for d in domains]
            )

    specs = {key: (first, last, dob, domains, path) for key, first, last, dob, domains, path in REFERRALS}
    referral, created = _referral("open", *specs["open"], ib, school, team)
    if created:
        referral = transition(referral, "escalate", ib, note="Opgeschaald: grijs gebied: financiering")
        Escalation.objects.create(
            referral=referral,
            reason="grey_funding",
            raised_side=Side.SCHOOL,
            raised_by=ib,
            raiser_position="De school ziet de begeleiding als jeugdhulp: de problemen spelen vooral thuis.",
            other_position="Het wijkteam ziet dit als extra ondersteuning die de school zelf kan bieden.",
            other_position_by=worker,
            partnership=partnership,
            municipality=municipality,
        )

    referral, created = _referral("decided", *specs["decided"], ib, school, team)
    if created:
        referral = transition(referral, "escalate", worker, note="Opgeschaald: capaciteit / wachtlijst")
        escalation = Escalation.objects.create(
            referral=referral,
            reason="capacity",
            raised_side=Side.DISTRICT_TEAM,
            raised_by=worker,
            raiser_position="De aanbieder heeft een wachtlijst van vier maanden.",
            other_position="De school kan de leerling zo lang niet opvangen.",
            other_position_by=ib,
            partnership=partnership,
            municipality=municipality,
        )
        decision = Decision.objects.create(
            escalation=escalation,
            decided_by=director,
            agreed_by=officer,
            help="Overbruggingszorg door het wijkteam tot de behandeling start.",
            carried_by=CarriedBy.YOUTH_CARE,
            rationale="Wachttijd bij de aanbieder is een verantwoordelijkheid van de gemeente.",
            carry_out_by=timezone.localdate() + datetime.timedelta(days=14),
        )
        escalation.state = Escalation.State.DECIDED
        escalation.decided_at = timezone.now()
        escalation.save(update_fields=["state", "decided_at"])
        transition(
            referral,
            "resume",
            director,
            note="Besluit na opschaling: gedragen door jeugdhulp.",
            target="accepted",
        )
        draft = Precedent.objects.create(
            decision=decision,
            partnership=partnership,
            municipality=municipality,
            reason="capacity",
            school_type=school.school_type,
            age_band=age_band(referral.child_date_of_birth, timezone.localdate()),
            carried_by=CarriedBy.YOUTH_CARE,
        )
        PrecedentDomain.objects.bulk_create(
            [PrecedentDomain(precedent=draft, domain=d) for d in specs["decided"][3]]
        )
    _seed_mediations(specs, ib, school, team)
    if ctx.get("stdout"):
        ctx["stdout"].write(
            "Escalations: 1 open, 1 decided (precedent draft to review), 3 published precedents; "
            "mediation: 1 mediator, 1 settled, 1 not settled, 1 waiting for the outcome."
        )
    return []


MEDIATION_QUESTIONS = {
    "mediation_settled": "School en wijkteam zijn het oneens wie de begeleiding in de klas betaalt.",
    "mediation_not_settled": "Het wijkteam vindt de hulpvraag onderwijs; de school vindt het jeugdhulp.",
    "mediation_open": "Wie regelt de hulp bij zelfredzaamheid tijdens de lessen?",
}


def _seed_mediations(specs, ib, school, team):
    """The region's mediator and three mediations (ADR 0149), written as the services would."""
    mediator_user, admin = _user("begeleidingsgroep"), _user("beheer")
    if mediator_user is None:
        return
    region = school.municipality.region.parent or school.municipality.region
    mediator = Mediator.objects.active().filter(region=region, user=mediator_user).first()
    if mediator is None:
        mediator = Mediator.objects.create(region=region, user=mediator_user, named_by=admin)
    name = mediator_user.full_name
    for key in ("mediation_settled", "mediation_not_settled", "mediation_open"):
        referral, created = _referral(key, *specs[key], ib, school, team)
        if not created:
            continue
        mediation = Mediation.objects.create(
            referral=referral,
            mediator=mediator,
            asked_side=Side.SCHOOL,
            asked_by=ib,
            question=MEDIATION_QUESTIONS[key],
        )
        record_event(
            referral, "mediation_asked", ib, note=f"Een bemiddelaar is gevraagd door de school: {name}."
        )
        if key == "mediation_open":
            continue
        now = timezone.now()
        if key == "mediation_settled":
            transition(
                referral,
                "mediation_settled",
                mediator_user,
                note="Geschikt met de bemiddelaar: gedragen door jeugdhulp.",
                target="accepted",
            )
            mediation.state = Mediation.State.SETTLED
            mediation.carried_by = CarriedBy.YOUTH_CARE
            mediation.assign_help = True
            mediation.outcome_note = "Het wijkteam biedt de begeleiding; de school past het rooster aan."
        else:
            record_event(
                referral,
                "mediation_not_settled",
                mediator_user,
                note="De bemiddelaar heeft vastgelegd dat het meningsverschil niet is opgelost.",
            )
            mediation.state = Mediation.State.NOT_SETTLED
            mediation.outcome_note = "Beide partijen houden vast aan hun standpunt."
        mediation.recorded_by = mediator_user
        mediation.recorded_at = now
        mediation.save()
