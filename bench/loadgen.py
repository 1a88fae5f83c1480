"""Synthetic national load data for `manage.py seed_load` and `make bench` (ADR 0080).

Everything is fake: invented names, BRIN numbers and codes; no real child or person data.
The registry (regions … users) is small and goes in through bulk_create; the referral tables
(millions of rows) go in through PostgreSQL COPY (psycopg 3 `cursor.copy()`), inside one
transaction, with the non-unique indexes dropped during the load and rebuilt afterwards.

Each referral walks the real life cycle (referrals/workflow.py ACTIONS) with sampled delays
from its creation moment; the walk stops at "now", so old referrals are mostly closed or
declined and recent ones are still in flight, and every timestamp, event and reference
number is consistent with the path.
"""

import bisect
import datetime
import itertools
import random
import time
import uuid
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.fields import NOT_PROVIDED
from django.db.models.functions import Mod
from django.urls import reverse

from agenda import loader
from agenda.models import Activity, Agenda, Ambition, Goal, Meeting
from contacts.models import (
    CareProvider,
    ContactAssignment,
    DistrictTeam,
    Membership,
    Municipality,
    Partnership,
    Person,
    Region,
    Role,
    School,
    Tandem,
    User,
)
from escalations.models import Decision, Escalation, Precedent
from portal.models import AccessLog, Notification
from referrals.models import (
    Consent,
    Guardian,
    ListedReference,
    ReferenceCounter,
    Referral,
    ReferralDomain,
    ReferralEvent,
)

UTC = datetime.UTC
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
AMS = ZoneInfo("Europe/Amsterdam")
DAY = 86400.0
BENCH_PASSWORD = "bench-load-password-2026"  # noqa: S105 - synthetic load accounts only
BENCH_DOMAIN = "load.tandem.test"
BENCH_ACCOUNTS = {
    "school_coordinator": f"bench-ib@{BENCH_DOMAIN}",
    "district_worker": f"bench-wijkteam@{BENCH_DOMAIN}",
    "partnership_director": f"bench-swv@{BENCH_DOMAIN}",
    "municipal_officer": f"bench-gemeente@{BENCH_DOMAIN}",
    "steering_member": f"bench-stuurgroep@{BENCH_DOMAIN}",
    "registry_admin": f"bench-beheer@{BENCH_DOMAIN}",
    "privacy_officer": f"bench-privacy@{BENCH_DOMAIN}",
}

N_REGIONS = 42
N_MUNICIPALITIES = 342
N_PARTNERSHIPS = 150
N_SCHOOLS = 7000
N_CARE_PROVIDERS = 400

REGION_NAMES = [
    "Groningen",
    "Friesland",
    "Drenthe",
    "IJsselland",
    "Twente",
    "Achterhoek",
    "Noord-Veluwe",
    "Midden-IJssel/Oost-Veluwe",
    "Centraal Gelderland",
    "Foodvalley",
    "Rivierenland",
    "Gelderland-Zuid",
    "Flevoland",
    "Utrecht",
    "Amersfoort",
    "Gooi en Vechtstreek",
    "Amsterdam-Amstelland",
    "Zaanstreek-Waterland",
    "Kop van Noord-Holland",
    "Noord-Holland Noord",
    "Kennemerland",
    "Zuid-Kennemerland",
    "Holland Rijnland",
    "Haaglanden",
    "Midden-Holland",
    "Rijnmond",
    "Zuid-Holland Zuid",
    "Alblasserwaard",
    "Drechtsteden",
    "Zeeland",
    "West-Brabant West",
    "West-Brabant Oost",
    "Hart van Brabant",
    "Noordoost-Brabant",
    "Zuidoost-Brabant",
    "Noord-Limburg",
    "Midden-Limburg",
    "Zuid-Limburg",
    "Westfriesland",
    "Lekstroom",
    "Stedendriehoek",
    "Holland Rijnland Oost",
]
PLACE_START = [
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Oud",
    "Nieuw",
    "Groot",
    "Klein",
    "Hoog",
    "Laag",
    "Sint",
    "Ter",
    "Beek",
    "Berg",
    "Wester",
    "Ooster",
    "Helle",
    "Bre",
    "Hil",
    "Ven",
    "Rijs",
    "Ams",
    "Dor",
    "Zee",
]
PLACE_END = [
    "dam",
    "wijk",
    "veen",
    "horst",
    "broek",
    "hoven",
    "dijk",
    "burg",
    "stein",
    "loo",
    "holt",
    "recht",
    "voort",
    "zande",
    "meer",
    "donk",
    "heuvel",
    "kerk",
    "haven",
    "rade",
    "sum",
    "ingen",
    "um",
    "ede",
]
SCHOOL_WORDS = [
    "De Regenboog",
    "De Wegwijzer",
    "Het Kompas",
    "De Springplank",
    "De Vlinder",
    "Het Palet",
    "De Sterrenwacht",
    "De Bron",
    "Het Baken",
    "De Klimop",
    "De Zonnewijzer",
    "Het Mozaïek",
    "De Fontein",
    "De Horizon",
    "Het Anker",
    "De Meander",
    "De Notenbalk",
    "Het Startpunt",
    "De Boomgaard",
    "De Ontdekking",
]
FIRST_NAMES = [
    "Emma",
    "Noah",
    "Julia",
    "Liam",
    "Mila",
    "Luuk",
    "Tess",
    "Sem",
    "Sophie",
    "Daan",
    "Zoë",
    "Finn",
    "Sara",
    "Levi",
    "Nora",
    "Milan",
    "Evi",
    "Jesse",
    "Saar",
    "Bram",
    "Yara",
    "Ravi",
    "Amira",
    "Mohamed",
    "Fenna",
    "Lucas",
    "Lotte",
    "Thijs",
    "Isa",
    "Mees",
    "Anouk",
    "Ayoub",
    "Lina",
    "Sven",
    "Fleur",
    "Adam",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Yilmaz",
    "El Amrani",
]
QUESTIONS = [
    "Leerling is in de klas erg onrustig en raakt snel in conflict met klasgenoten.",
    "Leerling trekt zich terug, is vaak somber en verzuimt regelmatig.",
    "Ouders geven aan dat het thuis niet goed gaat; school ziet dat terug in concentratie.",
    "Leerling heeft moeite met zelfstandig werken en plannen; ondersteuning op school is niet genoeg.",
    "Zorgen over de thuissituatie na een scheiding; leerling is boos en verdrietig.",
    "Leerling laat angstig gedrag zien en wil niet meer naar school komen.",
    "Vermoeden van een ontwikkelingsprobleem; ouders willen graag meedenken over passende hulp.",
    "Leerling heeft veel lichamelijke klachten zonder duidelijke oorzaak.",
]
ALREADY_DONE = [
    "Gesprekken met ouders, aanpassingen in de klas, observatie door de IB-er.",
    "Extra begeleiding in kleine groep gedurende acht weken, zonder voldoende effect.",
    "Inzet van de schoolmaatschappelijk werker en overleg in het ondersteuningsteam.",
    "Handelingsplan opgesteld en twee keer geëvalueerd met ouders.",
]
GOALS = [
    "Leerling kan weer een volledige schooldag meedoen.",
    "Rust in de klas en thuis; ouders weten hoe ze kunnen ondersteunen.",
    "Leerling kan hulp vragen en voelt zich veilig op school.",
    "Duidelijkheid over de ondersteuningsbehoefte en passende hulp binnen zes weken.",
]
HELP_TEXTS = [
    "Ambulante begeleiding op school, twee dagdelen per week gedurende drie maanden.",
    "Jeugdhulp in de klas via het schoolarrangement, met afstemming met ouders.",
    "Gezinsbegeleiding thuis en coaching van de leerkracht op school.",
    "Onderwijszorgarrangement met inzet van een jeugdhulpverlener op school.",
]
RATIONALES = [
    "De hulpvraag ligt op het snijvlak van onderwijs en jeugdhulp; gedeelde inzet voorkomt uitval.",
    "De ondersteuning hoort bij de extra ondersteuning van het samenwerkingsverband.",
    "De problematiek is vooral thuis zichtbaar; de gemeente draagt de jeugdhulp.",
    "Het collectieve arrangement op deze school past bij de vraag; geen individuele beschikking nodig.",
]
POSITIONS = [
    "School ziet dit als jeugdhulpvraag die de basisondersteuning overstijgt.",
    "Het wijkteam ziet eerst een taak voor de extra ondersteuning van het samenwerkingsverband.",
    "De wachttijd bij de aanbieder is te lang; de leerling dreigt uit te vallen.",
]
DOMAINS = ["behaviour", "social_emotional", "self_care", "home_situation", "learning", "physical"]
DOMAIN_WEIGHTS = [30, 30, 5, 20, 12, 3]
DECLINE_REASONS = ["no_youth_care_question", "basic_support", "other_route", "no_consent"]
CLOSE_OUTCOMES = ["goal_reached", "partly_reached", "referred_on", "stopped"]
SCHOOL_TYPES = [("po", 80), ("sbo", 3), ("so", 3), ("vso", 3), ("vo", 11)]


class Timer:
    def __init__(self, out):
        self.out = out
        self.start = self.last = time.monotonic()

    def say(self, msg):
        now = time.monotonic()
        self.out(f"[{now - self.start:7.1f}s] (+{now - self.last:5.1f}s) {msg}")
        self.last = now


def place_names(rng, n):
    names = set()
    while len(names) < n:
        names.add(rng.choice(PLACE_START) + rng.choice(PLACE_END))
        if len(names) == len(PLACE_START) * len(PLACE_END):  # pragma: no cover - not at 342
            break
    names = sorted(names)
    rng.shuffle(names)
    # Not enough combinations: number the rest.
    return [names[i] if i < len(names) else f"{names[i % len(names)]} {i}" for i in range(n)]


# --- Registry ---------------------------------------------------------------------------------


def build_registry(rng, say, schools_n=N_SCHOOLS):
    """Regions … users. Returns a dict of plain lists/dicts the referral generator needs."""
    password_hash = make_password(BENCH_PASSWORD)
    today = datetime.date.today()
    start = today - datetime.timedelta(days=800)

    regions = Region.objects.bulk_create(
        [Region(code=f"JR{i + 1:02d}", name=f"Jeugdregio {REGION_NAMES[i]}") for i in range(N_REGIONS)]
    )
    subregions = []
    for region in regions:
        for j in range(rng.randint(2, 4)):
            subregions.append(
                Region(code=f"{region.code}-{j + 1}", name=f"{region.name} {j + 1}", parent=region)
            )
    subregions = Region.objects.bulk_create(subregions)
    subs_of = {}
    for sub in subregions:
        subs_of.setdefault(sub.parent_id, []).append(sub)

    # Municipalities: every region gets at least 4, the rest spread at random.
    per_region = [4] * N_REGIONS
    for _i in range(N_MUNICIPALITIES - 4 * N_REGIONS):
        per_region[rng.randrange(N_REGIONS)] += 1
    codes = rng.sample(range(1, 2000), N_MUNICIPALITIES)
    names = place_names(rng, N_MUNICIPALITIES)
    municipalities = []
    k = 0
    for ri, region in enumerate(regions):
        for _j in range(per_region[ri]):
            sub = rng.choice(subs_of[region.id])
            municipalities.append(Municipality(cbs_code=f"GM{codes[k]:04d}", name=names[k], region=sub))
            k += 1
    municipalities = Municipality.objects.bulk_create(municipalities)
    region_of_sub = {sub.id: sub.parent_id for sub in subregions}
    munis_by_region = {}
    for m in municipalities:
        munis_by_region.setdefault(region_of_sub[m.region_id], []).append(m)

    # Partnerships: one PO and one VO per region, the rest (PO-heavy) spread at random.
    pcodes = rng.sample(range(2000, 4000), N_PARTNERSHIPS)
    partnerships = []
    for i in range(N_PARTNERSHIPS):
        region = regions[i % N_REGIONS]
        sector = "po" if i < N_REGIONS else ("vo" if i < 2 * N_REGIONS else rng.choice(["po", "po", "vo"]))
        partnerships.append(
            Partnership(
                code=f"{sector.upper()}{pcodes[i]}",
                name=f"SWV {sector.upper()} {region.name.removeprefix('Jeugdregio ')} {i + 1}",
                sector=sector,
                region=region,
            )
        )
    partnerships = Partnership.objects.bulk_create(partnerships)
    partnerships_by = {}
    for p in partnerships:
        partnerships_by.setdefault((p.region_id, p.sector), []).append(p)

    # District teams: 1 to 4 per municipality.
    teams = []
    for m in municipalities:
        for j in range(rng.choice([1, 1, 2, 2, 3, 4])):
            teams.append(
                DistrictTeam(
                    name=f"Wijkteam {m.name} {j + 1}", municipality=m, email=f"wt{len(teams)}@{BENCH_DOMAIN}"
                )
            )
    teams = DistrictTeam.objects.bulk_create(teams)
    teams_of = {}
    for t in teams:
        teams_of.setdefault(t.municipality_id, []).append(t)

    providers = CareProvider.objects.bulk_create(
        [
            CareProvider(
                name=f"Zorgaanbieder {rng.choice(PLACE_START)}{rng.choice(PLACE_END)} {i + 1}",
                region=regions[i % N_REGIONS],
            )
            for i in range(N_CARE_PROVIDERS)
        ]
    )
    providers_by_region = {}
    for p in providers:
        providers_by_region.setdefault(p.region_id, []).append(p)
    say(
        f"regions {len(regions)}+{len(subregions)}, municipalities {len(municipalities)}, "
        f"partnerships {len(partnerships)}, district teams {len(teams)}, care providers {len(providers)}"
    )

    # Schools: BRIN + vestiging unique; the region's municipalities and partnerships.
    brins = rng.sample(range(100 * 676), schools_n)
    schools = []
    type_names = [t for t, _w in SCHOOL_TYPES]
    type_cum = list(itertools.accumulate(w for _t, w in SCHOOL_TYPES))
    regions_weighted = list(itertools.accumulate(len(munis_by_region[r.id]) for r in regions))
    for i in range(schools_n):
        region = regions[bisect.bisect_right(regions_weighted, rng.random() * regions_weighted[-1])]
        school_type = type_names[bisect.bisect_right(type_cum, rng.random() * type_cum[-1])]
        sector = "po" if school_type in ("po", "sbo", "so") else "vo"
        b = brins[i]
        brin = f"{b // 676:02d}{chr(65 + (b % 676) // 26)}{chr(65 + b % 26)}"
        schools.append(
            School(
                brin=brin,
                vestiging=f"{rng.choice([0, 0, 0, 1, 2]):02d}",
                name=f"{rng.choice(SCHOOL_WORDS)} {i + 1}",
                school_type=school_type,
                partnership=rng.choice(partnerships_by[(region.id, sector)]),
                municipality=rng.choice(munis_by_region[region.id]),
                postcode=f"{rng.randint(1000, 9999)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}",
                collective_funding_pilot=rng.random() < 0.03,
            )
        )
    schools = School.objects.bulk_create(schools, batch_size=2000)

    # Persons: an IB-er per school, 3 workers per team, a contact per municipality/partnership.
    persons = []

    def person(name, email):
        persons.append(Person(name=name, email=email, function=""))
        return len(persons) - 1

    school_ib = [
        person(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", f"ib.{s.id}@{BENCH_DOMAIN}")
        for s in schools
    ]
    team_workers = {
        t.id: [
            person(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", f"wt.{t.id}.{j}@{BENCH_DOMAIN}")
            for j in range(3)
        ]
        for t in teams
    }
    muni_contact = {
        m.id: person(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", f"gm.{m.id}@{BENCH_DOMAIN}")
        for m in municipalities
    }
    swv_contact = {
        p.id: person(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", f"swv.{p.id}@{BENCH_DOMAIN}")
        for p in partnerships
    }
    persons = Person.objects.bulk_create(persons, batch_size=5000)
    say(f"schools {len(schools)}, persons {len(persons)}")

    # Tandems for ~85% of schools, contact assignments for most organisations.
    tandems, assignments = [], []
    tandem_team = {}
    for s in schools:
        if rng.random() < 0.85:
            team = rng.choice(teams_of[s.municipality_id])
            tandem_team[s.id] = team.id
            tandems.append(
                Tandem(
                    school=s,
                    school_coordinator=persons[school_ib[s.id - schools[0].id]],
                    district_worker=persons[rng.choice(team_workers[team.id])],
                    district_team=team,
                    valid_from=start + datetime.timedelta(days=rng.randrange(300)),
                )
            )
        if rng.random() < 0.9:
            assignments.append(
                ContactAssignment(person=persons[school_ib[s.id - schools[0].id]], school=s, valid_from=start)
            )
    for m in municipalities:
        if rng.random() < 0.95:
            assignments.append(
                ContactAssignment(person=persons[muni_contact[m.id]], municipality=m, valid_from=start)
            )
    for t in teams:
        if rng.random() < 0.8:
            assignments.append(
                ContactAssignment(person=persons[team_workers[t.id][0]], district_team=t, valid_from=start)
            )
    for p in partnerships:
        assignments.append(
            ContactAssignment(person=persons[swv_contact[p.id]], partnership=p, valid_from=start)
        )
    Tandem.objects.bulk_create(tandems, batch_size=5000)
    ContactAssignment.objects.bulk_create(assignments, batch_size=5000)

    # The bench school: the first VO school, made the busiest; its team, SWV, gemeente, region.
    bench_school = next(s for s in schools if s.school_type == "vo")
    bench_team = tandem_team.get(bench_school.id) or teams_of[bench_school.municipality_id][0].id
    bench_region = region_of_sub[
        next(m for m in municipalities if m.id == bench_school.municipality_id).region_id
    ]

    # Users + memberships: a coordinator per school, workers per team, a director per SWV,
    # an officer per municipality, steering + registry per region. One shared known hash.
    users, memberships = [], []

    def user(email, name, role, **org):
        users.append(User(email=email, full_name=name, password=password_hash))
        memberships.append((len(users) - 1, role, org))
        return len(users) - 1

    school_user = {}
    for s in schools:
        email = (
            BENCH_ACCOUNTS["school_coordinator"] if s.id == bench_school.id else f"ib.{s.id}@{BENCH_DOMAIN}"
        )
        school_user[s.id] = user(
            email, persons[school_ib[s.id - schools[0].id]].name, Role.SCHOOL_COORDINATOR, school_id=s.id
        )
    team_users = {}
    for t in teams:
        team_users[t.id] = []
        for j in range(2):
            bench = t.id == bench_team and j == 0
            email = BENCH_ACCOUNTS["district_worker"] if bench else f"wt.{t.id}.{j}@{BENCH_DOMAIN}"
            team_users[t.id].append(
                user(email, persons[team_workers[t.id][j]].name, Role.DISTRICT_WORKER, district_team_id=t.id)
            )
    swv_user = {}
    for p in partnerships:
        email = (
            BENCH_ACCOUNTS["partnership_director"]
            if p.id == bench_school.partnership_id
            else f"swv.{p.id}@{BENCH_DOMAIN}"
        )
        swv_user[p.id] = user(
            email, persons[swv_contact[p.id]].name, Role.PARTNERSHIP_DIRECTOR, partnership_id=p.id
        )
    muni_user = {}
    for m in municipalities:
        email = (
            BENCH_ACCOUNTS["municipal_officer"]
            if m.id == bench_school.municipality_id
            else f"gm.{m.id}@{BENCH_DOMAIN}"
        )
        muni_user[m.id] = user(
            email, persons[muni_contact[m.id]].name, Role.MUNICIPAL_OFFICER, municipality_id=m.id
        )
    for r in regions:
        for role, key in ((Role.STEERING_MEMBER, "steering_member"), (Role.REGISTRY_ADMIN, "registry_admin")):
            email = BENCH_ACCOUNTS[key] if r.id == bench_region else f"{key}.{r.id}@{BENCH_DOMAIN}"
            user(email, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", role, region_id=r.id)
    users = User.objects.bulk_create(users, batch_size=5000)
    Membership.objects.bulk_create(
        [Membership(user_id=users[i].id, role=role, **org) for i, role, org in memberships], batch_size=5000
    )
    say(
        f"tandems {len(tandems)}, contact assignments {len(assignments)}, users {len(users)} "
        f"(password for every load account: {BENCH_PASSWORD})"
    )

    uid = [u.id for u in users]
    region_of_muni = {m.id: region_of_sub[m.region_id] for m in municipalities}
    return {
        "schools": [
            (
                s.id,
                s.school_type,
                s.municipality_id,
                s.partnership_id,
                tandem_team.get(s.id) or teams_of[s.municipality_id][0].id,
                uid[school_user[s.id]],
                s.id in tandem_team,
            )
            for s in schools
        ],
        "bench_school": bench_school.id,
        "munis_by_region": {r: [m.id for m in ms] for r, ms in munis_by_region.items()},
        "region_of_muni": region_of_muni,
        "team_users": {t: [uid[i] for i in us] for t, us in team_users.items()},
        "swv_user": {p: uid[i] for p, i in swv_user.items()},
        "muni_user": {m: uid[i] for m, i in muni_user.items()},
        "providers_by_region": {r: [p.id for p in ps] for r, ps in providers_by_region.items()},
    }


# --- Referrals ----------------------------------------------------------------------------------


def _ts(t):
    return datetime.datetime.fromtimestamp(t, UTC)


class ReferralWalker:
    """Walks one referral through the life cycle; returns rows for every table."""

    def __init__(self, rng, reg, now):
        self.rng = rng
        self.reg = reg
        self.now = now
        self.counters = {}

    def reference(self, t):
        year = datetime.datetime.fromtimestamp(t, AMS).year
        n = self.counters.get(year, 0) + 1
        self.counters[year] = n
        return f"AJS-{year}-{n:05d}"

    def walk(self, created, school):
        """Returns (fields, events, escalations). Events: (at, actor, action, from, to)."""
        rng, now = self.rng, self.now
        sid, stype, muni, swv, team, creator, _has_tandem = school
        team_user = rng.choice(self.reg["team_users"][team])
        events = []
        escalations = []
        f = {
            "status": "draft",
            "status_before_escalation": "",
            "reference": None,
            "assigned_to": None,
            "first_submitted_at": None,
            "submitted_at": None,
            "decided_at": None,
            "help_started_at": None,
            "closed_at": None,
            "care_provider": None,
            "planned_help_form": "",
            "expected_start": None,
            "joint_deployment": False,
            "decline_reason": "",
            "close_outcome": "",
            "updated_at": created,
        }
        state = ["draft"]

        def move(t, actor, action, to):
            events.append((t, actor, action, state[0], to))
            state[0] = to
            f["status"] = to
            f["updated_at"] = t

        def escalate(t, side):
            """Escalate at t; returns the time it resumes, or None while still open."""
            from_status = state[0]
            actor = creator if side == "school" else team_user
            move(t, actor, "escalate", "escalated")
            f["status_before_escalation"] = from_status
            decide_t = t + DAY * (3 + rng.expovariate(1 / 12))
            home = f["home_municipality"]
            esc = {
                "raised_at": t,
                "side": side,
                "by": actor,
                "reason": rng.choice(
                    ["grey_responsibility", "grey_funding", "capacity", "no_progress", "other"]
                ),
                "partnership": swv,
                "municipality": home,
                "decided_at": None,
                "decision": None,
            }
            escalations.append(esc)
            if decide_t > now:
                return None
            esc["decided_at"] = decide_t
            esc["decision"] = {
                "by": self.reg["swv_user"][swv],
                "agreed_by": self.reg["muni_user"][home],
                "carried_by": rng.choice(["education", "youth_care", "shared", "collective"]),
                "carry_out_by": (_ts(decide_t) + datetime.timedelta(days=rng.randint(7, 42))).date(),
            }
            move(decide_t, esc["decision"]["by"], "resume", from_status)
            return decide_t

        # Home municipality: usually the school's, for VO often another in the region.
        if rng.random() < (0.65 if stype in ("vo", "vso") else 0.9):
            f["home_municipality"] = muni
        else:
            f["home_municipality"] = rng.choice(self.reg["munis_by_region"][self.reg["region_of_muni"][muni]])

        if rng.random() < 0.02:  # abandoned draft
            return f, events, escalations
        t = created + DAY * rng.expovariate(1 / 1.5)
        if t > now:
            return f, events, escalations
        f["reference"] = self.reference(t)
        f["first_submitted_at"] = f["submitted_at"] = t
        move(t, creator, "submit", "submitted")
        returned = False
        while True:
            t += DAY * rng.expovariate(1 / 2.5)
            if t > now:
                return f, events, escalations
            move(t, team_user, "take_up", "in_triage")
            f["assigned_to"] = team_user
            if rng.random() < 0.04:
                t = escalate(t + DAY * rng.expovariate(1 / 3), rng.choice(["school", "district_team"]))
                if t is None:
                    return f, events, escalations
            t += DAY * rng.expovariate(1 / 6)
            if t > now:
                return f, events, escalations
            r = rng.random()
            if r < 0.08 and not returned:
                returned = True
                move(t, team_user, "return", "returned")
                t += DAY * rng.expovariate(1 / 5)
                if t > now or rng.random() < 0.1:
                    return f, events, escalations
                f["submitted_at"] = t
                move(t, creator, "resubmit", "submitted")
                continue
            if r < 0.2:
                f["decided_at"] = t
                f["decline_reason"] = rng.choice(DECLINE_REASONS)
                move(t, team_user, "decline", "declined")
                return f, events, escalations
            break
        f["decided_at"] = t
        f["care_provider"] = rng.choice(self.reg["providers_by_region"][self.reg["region_of_muni"][muni]])
        f["planned_help_form"] = rng.choice(["individual", "individual", "group", "school_wide"])
        f["joint_deployment"] = rng.random() < 0.3
        f["expected_start"] = (_ts(t) + datetime.timedelta(days=rng.randint(7, 40))).date()
        move(t, team_user, "accept", "accepted")
        if rng.random() < 0.02:
            t = escalate(t + DAY * rng.expovariate(1 / 10), "system")
            if t is None:
                return f, events, escalations
        t += DAY * (2 + rng.expovariate(1 / 18))
        if t > now:
            return f, events, escalations
        f["help_started_at"] = t
        move(t, team_user, "start_help", "help_started")
        t += DAY * (20 + rng.expovariate(1 / 150))
        if t > now:
            return f, events, escalations
        f["closed_at"] = t
        f["close_outcome"] = rng.choice(CLOSE_OUTCOMES)
        move(t, team_user, "close", "closed")
        return f, events, escalations


REFERRAL_TABLES = [Referral, ReferralDomain, ReferralEvent, Guardian, Consent, Escalation, Decision]


def _copy_columns(model, explicit):
    """The COPY column list: `explicit` attnames, plus any NOT NULL field added later by another
    app change (filled with its default) so the generator keeps working as models grow."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(explicit) - set(fields)
    if unknown:
        raise RuntimeError(f"{model.__name__}: unknown columns {sorted(unknown)}")
    extra = []
    for name, field in fields.items():
        if name in explicit or field.null or field.primary_key:
            continue
        if field.has_default():
            extra.append((field.column, field.get_default()))
        elif field.empty_strings_allowed and field.blank:  # optional text: Django stores ""
            extra.append((field.column, ""))
        elif field.db_default is NOT_PROVIDED:
            raise RuntimeError(
                f"{model.__name__}.{name} is NOT NULL without a default: teach seed_load about it"
            )
    columns = [fields[n].column for n in explicit] + [c for c, _d in extra]
    return columns, tuple(d for _c, d in extra)


class Copier:
    """One COPY … FROM STDIN per table per chunk."""

    SPECS = {
        Referral: [
            "id",
            "uuid",
            "reference",
            "status",
            "status_before_escalation",
            "school_id",
            "home_municipality_id",
            "routed_team_id",
            "routing_reason",
            "assigned_to_id",
            "created_by_id",
            "child_first_name",
            "child_last_name",
            "child_date_of_birth",
            "child_group",
            "question",
            "already_done",
            "goals",
            "urgency",
            "urgency_reason",
            "desired_form",
            "current_help",
            "professionals_involved",
            "care_provider_id",
            "planned_help_form",
            "expected_start",
            "joint_deployment",
            "decline_reason",
            "close_outcome",
            "created_at",
            "updated_at",
            "first_submitted_at",
            "submitted_at",
            "decided_at",
            "help_started_at",
            "closed_at",
        ],
        ReferralDomain: ["id", "referral_id", "domain"],
        ReferralEvent: ["id", "referral_id", "at", "actor_id", "action", "from_status", "to_status", "note"],
        Guardian: ["id", "referral_id", "name", "relation", "phone", "email", "has_custody"],
        Consent: [
            "id",
            "referral_id",
            "giver",
            "guardian_id",
            "given_on",
            "form",
            "recipients",
            "recorded_by_id",
            "recorded_at",
        ],
        Escalation: [
            "id",
            "referral_id",
            "state",
            "reason",
            "raised_side",
            "raised_by_id",
            "raised_at",
            "raiser_position",
            "other_position",
            "other_position_by_id",
            "partnership_id",
            "municipality_id",
            "decided_at",
        ],
        Decision: [
            "id",
            "escalation_id",
            "decided_by_id",
            "agreed_by_id",
            "help",
            "carried_by",
            "split",
            "rationale",
            "carry_out_by",
            "decided_at",
        ],
    }

    def __init__(self, cursor):
        self.cursor = cursor
        self.meta = {}
        for model, explicit in self.SPECS.items():
            columns, extra = _copy_columns(model, explicit)
            self.meta[model] = (model._meta.db_table, columns, extra)
        self.rows = {model: 0 for model in self.SPECS}

    def copy(self, model, rows):
        table, columns, extra = self.meta[model]
        sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
        with self.cursor.copy(sql) as copy:
            if extra:
                for row in rows:
                    copy.write_row(row + extra)
            else:
                for row in rows:
                    copy.write_row(row)
        self.rows[model] += len(rows)


def _secondary_indexes(cursor, tables):
    """Non-constraint indexes of `tables` (dropped for the load, rebuilt after)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.tablename, i.indexname
        """,
        [list(tables)],
    )
    return cursor.fetchall()


def generate_referrals(n, reg, rng, say, chunk=50_000, years=2.0):
    """Stream n referrals with their domains, events, guardians, consents and escalations."""
    now = time.time() - 60
    begin = now - years * 365 * DAY
    walker = ReferralWalker(rng, reg, now)
    schools = reg["schools"]
    # School weights: VO and special schools refer more; sizes vary; the bench school is busiest.
    weights = []
    for s in schools:
        base = {"po": 1.0, "sbo": 1.5, "so": 1.5, "vso": 2.0, "vo": 2.5}[s[1]]
        weights.append(base * rng.lognormvariate(0, 0.6))
    bench_index = next(i for i, s in enumerate(schools) if s[0] == reg["bench_school"])
    weights[bench_index] = max(weights) * 1.5
    cum_weights = list(itertools.accumulate(weights))
    domain_cum = list(itertools.accumulate(DOMAIN_WEIGHTS))
    created_times = sorted(begin + rng.random() * (now - begin) for _i in range(n))
    ids = {"domain": 0, "event": 0, "guardian": 0, "consent": 0, "escalation": 0, "decision": 0}
    status_counts = {}
    recipients = "wijkteam, zorgaanbieder"

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg 3 cursor underneath
        copier = Copier(cursor)
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            refs, doms, evs, guards, cons, escs, decs = [], [], [], [], [], [], []
            picks = rng.choices(schools, cum_weights=cum_weights, k=stop - start)
            for i in range(start, stop):
                rid = i + 1
                created = created_times[i]
                school = picks[i - start]
                sid, stype, muni, swv, team, creator, has_tandem = school
                f, events, escalations = walker.walk(created, school)
                status_counts[f["status"]] = status_counts.get(f["status"], 0) + 1
                age = {"po": 9, "sbo": 9, "so": 9, "vso": 14, "vo": 14}[stype] + rng.uniform(-4, 4)
                dob = (_ts(created - age * 365.25 * DAY)).date()
                urgent = rng.random() < 0.12
                first = rng.choice(FIRST_NAMES)
                last = rng.choice(LAST_NAMES)
                refs.append(
                    (
                        rid,
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        f["reference"],
                        f["status"],
                        f["status_before_escalation"],
                        sid,
                        f["home_municipality"],
                        team,
                        "tandem" if has_tandem else "school_municipality",
                        f["assigned_to"],
                        creator,
                        first,
                        last,
                        dob,
                        f"groep {rng.randint(1, 8)}"
                        if stype in ("po", "sbo", "so")
                        else f"klas {rng.randint(1, 6)}",
                        rng.choice(QUESTIONS),
                        rng.choice(ALREADY_DONE),
                        rng.choice(GOALS),
                        "high" if urgent else "normal",
                        "Leerling dreigt uit te vallen." if urgent else "",
                        rng.choice(["individual", "individual", "group", "school_wide"]),
                        "" if rng.random() < 0.7 else "Gezinscoach via de gemeente.",
                        "",
                        f["care_provider"],
                        f["planned_help_form"],
                        f["expected_start"],
                        f["joint_deployment"],
                        f["decline_reason"],
                        f["close_outcome"],
                        _ts(created),
                        _ts(f["updated_at"]),
                        f["first_submitted_at"] and _ts(f["first_submitted_at"]),
                        f["submitted_at"] and _ts(f["submitted_at"]),
                        f["decided_at"] and _ts(f["decided_at"]),
                        f["help_started_at"] and _ts(f["help_started_at"]),
                        f["closed_at"] and _ts(f["closed_at"]),
                    )
                )
                k = 1 if rng.random() < 0.55 else (2 if rng.random() < 0.8 else 3)
                chosen = set()
                while len(chosen) < k:
                    chosen.add(DOMAINS[bisect.bisect_right(domain_cum, rng.random() * domain_cum[-1])])
                for d in chosen:
                    ids["domain"] += 1
                    doms.append((ids["domain"], rid, d))
                ids["guardian"] += 1
                gid = ids["guardian"]
                guards.append((gid, rid, f"{rng.choice(FIRST_NAMES)} {last}", "ouder", "", "", True))
                if f["reference"]:
                    ids["consent"] += 1
                    cons.append(
                        (
                            ids["consent"],
                            rid,
                            "parent",
                            gid,
                            _ts(created).date(),
                            "written",
                            recipients,
                            creator,
                            _ts(created),
                        )
                    )
                for at, actor, action, frm, to in events:
                    ids["event"] += 1
                    evs.append((ids["event"], rid, _ts(at), actor, action, frm, to, ""))
                for esc in escalations:
                    ids["escalation"] += 1
                    escs.append(
                        (
                            ids["escalation"],
                            rid,
                            "decided" if esc["decision"] else "open",
                            esc["reason"],
                            esc["side"],
                            esc["by"] if esc["side"] != "system" else None,
                            _ts(esc["raised_at"]),
                            rng.choice(POSITIONS),
                            rng.choice(POSITIONS),
                            None,
                            esc["partnership"],
                            esc["municipality"],
                            esc["decided_at"] and _ts(esc["decided_at"]),
                        )
                    )
                    dec = esc["decision"]
                    if dec:
                        ids["decision"] += 1
                        decs.append(
                            (
                                ids["decision"],
                                ids["escalation"],
                                dec["by"],
                                dec["agreed_by"],
                                rng.choice(HELP_TEXTS),
                                dec["carried_by"],
                                "50/50" if dec["carried_by"] == "shared" else "",
                                rng.choice(RATIONALES),
                                dec["carry_out_by"],
                                _ts(esc["decided_at"]),
                            )
                        )
            copier.copy(Referral, refs)
            copier.copy(ReferralDomain, doms)
            copier.copy(ReferralEvent, evs)
            copier.copy(Guardian, guards)
            copier.copy(Consent, cons)
            copier.copy(Escalation, escs)
            copier.copy(Decision, decs)
            say(f"referrals {stop:>9,} / {n:,}  (events {ids['event']:,}, escalations {ids['escalation']:,})")
    return walker.counters, status_counts, copier.rows


def reset_sequences(cursor, models):
    for model in models:
        table = model._meta.db_table
        pk = model._meta.pk.column
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608 - model metadata
            f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0) + 1, false)'
        )


def seed_precedents(say, rng):
    """Published precedents for about half of the decisions."""
    if Precedent.objects.exists():
        say("precedents: the database already holds precedents; none generated")
        return 0
    rows = []
    decisions = (
        Decision.objects.select_related("escalation__referral__school")
        .order_by("id")
        .iterator(chunk_size=5000)
    )
    for decision in decisions:
        if rng.random() < 0.5:
            continue
        escalation = decision.escalation
        rows.append(
            Precedent(
                decision=decision,
                status="published",
                reason=escalation.reason,
                carried_by=decision.carried_by,
                summary=rng.choice(POSITIONS),
                outcome=decision.help,
                rationale=decision.rationale,
                published_at=decision.decided_at,
                published_by_id=decision.decided_by_id,
                partnership_id=escalation.partnership_id,
                municipality_id=escalation.municipality_id,
                school_type=escalation.referral.school.school_type,
                title=f"{escalation.get_reason_display()}: {decision.get_carried_by_display()}",
            )
        )
    Precedent.objects.bulk_create(rows, batch_size=5000)
    say(f"precedents: {len(rows):,} published")
    return len(rows)


def seed_agenda(say, rng):
    """A work agenda per region (the regio Utrecht werkagenda's ambitions, goals and activities,
    owned by the region's partnerships) and about eight meetings per region per year."""
    data = loader.read(loader.available()[0])
    today = datetime.date.today()
    regions = list(Region.objects.filter(parent__isnull=True).order_by("id"))
    partnerships = {}
    for p in Partnership.objects.order_by("id"):
        partnerships.setdefault(p.region_id, []).append(p.id)
    municipalities = {}
    for m in Municipality.objects.select_related("region").order_by("id"):
        municipalities.setdefault(m.region.parent_id, []).append(m.id)
    agendas = Agenda.objects.bulk_create(
        [
            Agenda(
                slug=f"load-{r.code.lower()}",
                title=f"Werkagenda {r.name}",
                region=r,
                period_start=datetime.date(today.year - 1, 1, 1),
                period_end=datetime.date(today.year + 2, 12, 31),
                description=data.get("description", ""),
            )
            for r in regions
        ]
    )
    ambitions = Ambition.objects.bulk_create(
        [
            Ambition(
                agenda=agenda, number=a["number"], text=a["text"], bottlenecks="\n".join(a["bottlenecks"])
            )
            for agenda in agendas
            for a in data["ambitions"]
        ]
    )
    per_agenda = len(data["ambitions"])
    goals, activities = [], []
    for i, ambition in enumerate(ambitions):
        a = data["ambitions"][i % per_agenda]
        for g in a["goals"]:
            goals.append(
                Goal(
                    ambition=ambition,
                    number=g["number"],
                    text=g["text"],
                    target_value=g["target_value"],
                    target_unit=g["target_unit"],
                    indicator=g["indicator"],
                )
            )
    goals = Goal.objects.bulk_create(goals)
    goal_of = {(g.ambition_id, g.number): g for g in goals}
    statuses = ["planned", "in_progress", "in_progress", "done", "stopped"]
    for i, ambition in enumerate(ambitions):
        a = data["ambitions"][i % per_agenda]
        region_id = agendas[i // per_agenda].region_id
        for act in a["activities"]:
            activities.append(
                Activity(
                    ambition=ambition,
                    goal=goal_of.get((ambition.id, act["goal"])) if act["goal"] else None,
                    number=act["number"],
                    title=act["title"],
                    owner_partnership_id=rng.choice(partnerships[region_id]),
                    status=rng.choice(statuses),
                    due_date=today + datetime.timedelta(days=rng.randint(-200, 500)),
                    impact=rng.randint(1, 5),
                    added_value=rng.randint(1, 5),
                )
            )
    Activity.objects.bulk_create(activities)
    meetings, attending = [], []
    types = ["practitioner", "inspiration", "ib_network", "steering_group", "administrative"]
    for r in regions:
        for _i in range(16):
            meetings.append(
                Meeting(
                    region=r,
                    meeting_type=rng.choice(types),
                    date=today - datetime.timedelta(days=rng.randint(0, 730)),
                    place=f"Gemeentehuis {rng.choice(PLACE_START)}{rng.choice(PLACE_END)}",
                )
            )
    meetings = Meeting.objects.bulk_create(meetings)
    through = Meeting.attending_municipalities.through
    for meeting in meetings:
        for m in rng.sample(
            municipalities[meeting.region_id], min(3, len(municipalities[meeting.region_id]))
        ):
            attending.append(through(meeting_id=meeting.id, municipality_id=m))
    through.objects.bulk_create(attending)
    say(
        f"agenda: {len(agendas)} work agendas, {len(ambitions)} ambitions, {len(goals)} goals, "
        f"{len(activities)} activities, {len(meetings)} meetings"
    )


def seed(referrals, seed_value=2026, out=print, chunk=50_000, access_log_rows=None):
    """Generate the whole national data set. The database must hold no registry data.
    access_log_rows: how many access-log rows (default: as many as referrals)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_load needs PostgreSQL (it loads with COPY).")
    timer = Timer(out)
    rng = random.Random(seed_value)
    say = timer.say
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                # Skip the per-row foreign-key triggers for this transaction: the generator
                # builds every reference from the rows it just wrote (tests check the result).
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        reg = build_registry(rng, say)
        with connection.cursor() as cursor:
            tables = [m._meta.db_table for m in REFERRAL_TABLES]
            indexes = _secondary_indexes(cursor, tables)
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        say(f"dropped {len(indexes)} secondary indexes for the load")
        counters, status_counts, rows = generate_referrals(referrals, reg, rng, say, chunk=chunk)
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
            say(f"rebuilt {len(indexes)} secondary indexes")
            ReferenceCounter.objects.bulk_create(
                [ReferenceCounter(year=y, last=n) for y, n in sorted(counters.items())],
                update_conflicts=True,
                unique_fields=["year"],
                update_fields=["last"],
            )
            reset_sequences(cursor, REFERRAL_TABLES)
        seed_precedents(say, rng)
        seed_agenda(say, rng)
        extras = top_up(referrals if access_log_rows is None else access_log_rows, seed_value, out)
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:
            # As autovacuum would soon after a bulk insert: statistics and the visibility map
            # (index-only scans), so the first benchmark does not measure a cold table. Every
            # table, the top-up's (access log, notifications) too: it ran in this transaction.
            cursor.execute("VACUUM (ANALYZE)")
    say("committed, vacuumed and analysed")
    return {
        "referrals": referrals,
        "status": status_counts,
        "rows": {m.__name__: n for m, n in rows.items()},
        "reference_counters": counters,
        "top_up": extras,
        "seconds": round(time.monotonic() - timer.start, 1),
    }


# --- Top-up: what data sets seeded before these tables were loaded lack -------------------------
#
# A bench database is reused as long as its referral count matches (bench/run.py), so each of
# these fills its table only when it is empty: `seed_load --top-up` brings an older data set up
# to date without a full reseed, and a fresh seed runs the same code.


def _copy_rows(cursor, model, explicit, rows):
    """COPY `rows` (tuples in the order of `explicit`) into the model's table."""
    columns, extra = _copy_columns(model, explicit)
    sql = f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + extra)


def _bench_region_id():
    return Membership.objects.get(
        user__email=BENCH_ACCOUNTS["steering_member"], role=Role.STEERING_MEMBER
    ).region_id


def seed_privacy_officers(say):
    """A privacy officer per region (the access-log viewer's role); the bench region's is the
    bench account."""
    if Membership.objects.filter(role=Role.PRIVACY_OFFICER).exists():
        return 0
    bench_region = _bench_region_id()
    password_hash = User.objects.get(email=BENCH_ACCOUNTS["steering_member"]).password
    regions = list(Region.objects.filter(parent__isnull=True).order_by("id"))
    users = User.objects.bulk_create(
        [
            User(
                email=BENCH_ACCOUNTS["privacy_officer"]
                if r.id == bench_region
                else f"privacy_officer.{r.id}@{BENCH_DOMAIN}",
                full_name=f"Privacy officer {r.name}",
                password=password_hash,
            )
            for r in regions
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, role=Role.PRIVACY_OFFICER, region=r) for u, r in zip(users, regions, strict=True)]
    )
    say(f"privacy officers: {len(users)}")
    return len(users)


# (action, object type, object id kind, activity, weight): mostly reads of a referral, then list
# pages (with the references they showed), downloads, actions and the odd export.
ACCESS_MIX = [
    ("view", "referrals.referral", "referral", "", 62),
    ("view", "referrals.referral_list", "list", "", 14),
    ("search", "referrals.referral_list", "list", "", 4),
    ("download", "referrals.attachment", "referral", "", 5),
    ("change", "referrals.referral", "referral", "take_up", 3),
    ("change", "referrals.referral", "referral", "accept", 2),
    ("change", "referrals.referral", "referral", "message_posted", 6),
    ("change", "escalations.escalation", "referral", "escalation_position", 1),
    ("view", "reporting.figures", "figures", "", 2),
    ("export", "reporting.figures", "figures", "", 1),
]
LIST_PAGE_IDS = ["school_list", "inbox", "list", "feedback_pending"]


def seed_access_log(say, rng, n, years=2.0, chunk=100_000):
    """n access-log rows over `years` (COPY): the registry's users acting in their roles, the
    bench accounts busiest; list pages carry the references they showed (ListedReference)."""
    if AccessLog.objects.exists():
        return 0
    users = []  # (user id, role, organisation)
    weights = []
    bench_ids = set(User.objects.filter(email__in=BENCH_ACCOUNTS.values()).values_list("id", flat=True))
    for m in Membership.objects.select_related(
        "school", "district_team", "partnership", "municipality", "region"
    ).order_by("id"):
        org = m.school or m.district_team or m.partnership or m.municipality or m.region
        users.append((m.user_id, m.role, str(org)[:250]))
        base = {"school_coordinator": 3, "district_worker": 6}.get(m.role, 1)
        weights.append(base * (200 if m.user_id in bench_ids else 1))
    cum_users = list(itertools.accumulate(weights))
    # A sample of the referrals with a reference number (every 20th): what the rows are about.
    referrals = list(
        Referral.objects.filter(reference__isnull=False)
        .annotate(sample=Mod("id", 20))
        .filter(sample=0)
        .values_list("id", "reference")
    ) or [(0, "")]
    cum_mix = list(itertools.accumulate(w for *_rest, w in ACCESS_MIX))
    now = time.time() - 120
    begin = now - years * 365 * DAY
    times = sorted(begin + rng.random() * (now - begin) for _i in range(n))
    listed_id = 0
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        for start in range(0, n, chunk):
            rows, listed = [], []
            for i in range(start, min(n, start + chunk)):
                user_id, role, organisation = users[
                    bisect.bisect_right(cum_users, rng.random() * cum_users[-1])
                ]
                action, object_type, kind, activity, _w = ACCESS_MIX[
                    bisect.bisect_right(cum_mix, rng.random() * cum_mix[-1])
                ]
                if kind == "referral":
                    object_id, reference = rng.choice(referrals)
                    object_id = str(object_id)
                elif kind == "list":
                    object_id, reference = rng.choice(LIST_PAGE_IDS), ""
                    for pk, ref in rng.sample(referrals, min(3, len(referrals))):
                        listed_id += 1
                        listed.append((listed_id, i + 1, pk, ref))
                else:
                    object_id, reference = "dashboard", ""
                rows.append(
                    (
                        i + 1,
                        _ts(times[i]),
                        user_id,
                        role,
                        organisation,
                        action,
                        object_type,
                        object_id,
                        reference,
                        activity,
                    )
                )
            _copy_rows(
                cursor,
                AccessLog,
                [
                    "id",
                    "at",
                    "user_id",
                    "role",
                    "organisation",
                    "action",
                    "object_type",
                    "object_id",
                    "object_reference",
                    "activity",
                ],
                rows,
            )
            _copy_rows(cursor, ListedReference, ["id", "entry_id", "referral_pk", "reference"], listed)
            say(f"access log {start + len(rows):>9,} / {n:,}")
        reset_sequences(django_cursor, [AccessLog, ListedReference])
    return n


NOTICE_KINDS = [
    ("submitted", "New referral", "A referral waits for triage."),
    ("returned", "Referral returned", "A referral was returned with questions."),
    ("accepted", "Referral accepted", "A referral was accepted."),
    ("message", "New message", "There is a new message about a referral."),
    ("escalation_raised_party", "Escalation", "A referral was escalated."),
]


def seed_notifications(say, rng, others, bench_count=3000, years=1.0):
    """A few thousand notifications for the bench district-team worker (the notification list)
    among many for the other users; most read."""
    if Notification.objects.exists():
        return 0
    bench = User.objects.get(email=BENCH_ACCOUNTS["district_worker"]).id
    user_ids = list(
        Membership.objects.filter(role__in=[Role.SCHOOL_COORDINATOR, Role.DISTRICT_WORKER])
        .exclude(user_id=bench)
        .values_list("user_id", flat=True)
    )
    references = list(
        Referral.objects.filter(reference__isnull=False)
        .annotate(sample=Mod("id", 50))
        .filter(sample=0)
        .values_list("uuid", "reference")
    ) or [(uuid.uuid4(), "AJS-2026-00001")]
    now = time.time() - 120
    begin = now - years * 365 * DAY
    total = bench_count + (others if user_ids else 0)
    times = sorted(begin + rng.random() * (now - begin) for _i in range(total))
    owners = [bench] * bench_count + [rng.choice(user_ids) for _i in range(total - bench_count)]
    rng.shuffle(owners)
    rows = []
    for i in range(total):
        kind, subject, body = rng.choice(NOTICE_KINDS)
        ref_uuid, reference = rng.choice(references)
        at = _ts(times[i])
        read = at + datetime.timedelta(hours=rng.expovariate(1 / 20)) if rng.random() < 0.85 else None
        rows.append(
            (
                i + 1,
                owners[i],
                kind,
                f"{reference} · {subject}",
                f"{reference}: {body}",
                reverse("referrals:detail", args=[ref_uuid]),
                reference,
                at,
                read if read is None or read.timestamp() < now else None,
                at,
            )
        )
    with connection.cursor() as django_cursor:
        _copy_rows(
            django_cursor.cursor,
            Notification,
            [
                "id",
                "user_id",
                "kind",
                "subject",
                "body",
                "url",
                "reference",
                "created_at",
                "read_at",
                "emailed_at",
            ],
            rows,
        )
        reset_sequences(django_cursor, [Notification])
    say(f"notifications: {total:,} ({bench_count:,} for the bench district-team worker)")
    return total


def _finished_report(model, rng, now, **fields):
    """A progress report (`model`: reporting's ProgressReport) that was generated: its PDF
    stored (a name only; the bench never downloads it)."""
    return model(
        status=model.Status.DONE,
        started_at=now,
        finished_at=now,
        attempts=1,
        file=f"reports/{uuid.uuid4().hex}.pdf",
        size=rng.randint(80_000, 400_000),
        **fields,
    )


def seed_reports(say, rng, half_years=4):
    """Progress reports of the last half-years: the scheduled ones of every region and
    subregion, and some a partnership or municipality requested; finished, most published."""
    from reporting.models import ProgressReport

    if ProgressReport.objects.exists():
        return 0
    today = datetime.date.today()
    periods = []
    year, half = today.year, 1 if today.month <= 6 else 2
    for _i in range(half_years):
        half, year = (2, year - 1) if half == 1 else (1, year)
        periods.append(f"{year}-H{half}")
    steering = dict(Membership.objects.filter(role=Role.STEERING_MEMBER).values_list("region_id", "user_id"))
    reports = []
    now = datetime.datetime.now(UTC)
    for region in Region.objects.select_related("parent").order_by("id"):
        top = region.parent_id or region.id
        for period in periods:
            reports.append(
                _finished_report(
                    ProgressReport,
                    rng,
                    now,
                    period=period,
                    region=region,
                    scheduled=True,
                    published_at=now if rng.random() < 0.7 else None,
                    published_by_id=steering.get(top),
                )
            )
    for partnership_id, user_id in Membership.objects.filter(role=Role.PARTNERSHIP_DIRECTOR).values_list(
        "partnership_id", "user_id"
    ):
        if rng.random() < 0.5:
            reports.append(
                _finished_report(
                    ProgressReport,
                    rng,
                    now,
                    period=rng.choice(periods),
                    partnership_id=partnership_id,
                    requested_by_id=user_id,
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    say(f"progress reports: {len(reports):,}")
    return len(reports)


def top_up(access_log_rows, seed_value=2026, out=print):
    """Fill what an older data set lacks (each only when its table is empty); returns the rows
    added per part."""
    timer = Timer(out)
    rng = random.Random(seed_value + 1)
    say = timer.say
    added = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
        added["privacy_officers"] = seed_privacy_officers(say)
        added["access_log"] = seed_access_log(say, rng, access_log_rows)
        added["notifications"] = seed_notifications(say, rng, others=min(200_000, 10 * access_log_rows))
        added["progress_reports"] = seed_reports(say, rng)
    if any(added.values()) and not connection.in_atomic_block:
        # As after the referral load: statistics and the visibility map (seed() does its own).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    say(f"top-up: {added}")
    return added
