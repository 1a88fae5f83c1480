"""Demo data for the registry: the Utrecht region and, beside it, Betuwe/Rivierenland (so the
region borders of ADR 0123 can be seen), with clearly fictional schools and people.

Idempotent: every row is found by its natural key and updated. Other apps add their own
demo data in `<app>/demo.py`, registered with `portal.demo.register` in its AppConfig.ready().
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from contacts import services
from contacts.models import (
    ArrangementRecord,
    CareProvider,
    CollectiveArrangement,
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
from portal import theme_images

SUBREGIONS = [
    (
        "UTR-LEK",
        "Lekstroom",
        [
            ("GM0321", "Houten"),
            ("GM0353", "IJsselstein"),
            ("GM0331", "Lopik"),
            ("GM0356", "Nieuwegein"),
            ("GM1961", "Vijfheerenlanden"),
        ],
    ),
    (
        "UTR-WEST",
        "Utrecht West",
        [
            ("GM0736", "De Ronde Venen"),
            ("GM0335", "Montfoort"),
            ("GM0589", "Oudewater"),
            ("GM1904", "Stichtse Vecht"),
            ("GM0632", "Woerden"),
        ],
    ),
    (
        "UTR-ZO",
        "Zuidoost Utrecht",
        [
            ("GM0312", "Bunnik"),
            ("GM0339", "Utrechtse Heuvelrug"),
            ("GM0352", "Wijk bij Duurstede"),
            ("GM0355", "Zeist"),
        ],
    ),
    ("UTR-STAD", "Utrecht Stad", [("GM0344", "Utrecht")]),
]

PARTNERSHIPS = [
    ("PO2690", "Demo-SWV Passend Primair Utrecht Stad", "po", "UTR-STAD"),
    ("VO2690", "Demo-SWV Voortgezet Utrecht Stad", "vo", "UTR-STAD"),
    ("PO2691", "Demo-SWV Primair Lekstroom", "po", "UTR-LEK"),
    ("VO2691", "Demo-SWV Voortgezet Zuid-Utrecht", "vo", "UTR-LEK"),
    ("PO2692", "Demo-SWV Primair Utrecht West", "po", "UTR-WEST"),
    ("VO2692", "Demo-SWV Voortgezet Utrecht West", "vo", "UTR-WEST"),
    ("PO2693", "Demo-SWV Primair Zuidoost", "po", "UTR-ZO"),
    ("VO2693", "Demo-SWV Voortgezet Zuidoost", "vo", "UTR-ZO"),
]

# brin, vestiging, name, type, partnership, municipality, postcode
SCHOOLS = [
    ("99AA", "00", "Demo-basisschool De Esdoorn", "po", "PO2690", "GM0344", "3511 AA"),
    ("99AB", "00", "Demo-basisschool Het Kompas", "po", "PO2691", "GM0356", "3431 AB"),
    ("99AC", "00", "Demo-sbo De Brug", "sbo", "PO2690", "GM0344", "3522 AC"),
    ("99AD", "00", "Demo-so De Regenboog", "so", "PO2690", "GM0344", "3533 AD"),
    ("99AE", "00", "Demo-vso Het Baken", "vso", "VO2690", "GM0344", "3544 AE"),
    ("99AE", "01", "Demo-vso Het Baken, locatie Overvecht", "vso", "VO2690", "GM0344", "3555 AF"),
    ("99AF", "00", "Demo-college De Horizon", "vo", "VO2691", "GM0356", "3432 AG"),
    ("99AG", "00", "Demo-vso De Sterrenwacht", "vso", "VO2693", "GM0355", "3701 AH"),
    ("99AH", "00", "Demo-basisschool De Wilg", "po", "PO2692", "GM0632", "3441 AJ"),
    ("99AJ", "00", "Demo-so Het Anker", "so", "PO2693", "GM0339", "3941 AK"),
    ("99AK", "00", "Demo-vso De Vaart", "vso", "VO2692", "GM1904", "3601 AL"),
    ("99AL", "00", "Demo-basisschool De Linde", "po", "PO2691", "GM0321", "3991 AM"),
]

DISTRICT_TEAMS = [
    ("Demo-buurtteam Utrecht Noordwest", "GM0344"),
    ("Demo-buurtteam Utrecht Overvecht", "GM0344"),
    ("Demo-wijkteam Nieuwegein", "GM0356"),
    ("Demo-wijkteam Zeist", "GM0355"),
    ("Demo-sociaal team Woerden", "GM0632"),
    ("Demo-wijkteam Houten", "GM0321"),
    ("Demo-wijkteam Utrechtse Heuvelrug", "GM0339"),
    ("Demo-wijkteam Stichtse Vecht", "GM1904"),
]

CARE_PROVIDERS = [
    "Demo-jeugdhulp De Kering",
    "Demo-GGZ Jong Utrecht",
    "Demo-orthopedagogisch centrum Het Palet",
]

DEMO_PASSWORD = "demo-Tandem-2026!"  # noqa: S105 - demo only; set only with DEBUG or --password
DOMAIN = "demo.tandem.test"

# e-mail local part, name, role, organisation key
ACCOUNTS = [
    ("ib", "Ilse Bakker", Role.SCHOOL_COORDINATOR, ("school", ("99AA", "00"))),
    ("ib2", "Ismail Bouzid", Role.SCHOOL_COORDINATOR, ("school", ("99AB", "00"))),
    (
        "wijkteam",
        "Wendy de Jong",
        Role.DISTRICT_WORKER,
        ("district_team", ("Demo-buurtteam Utrecht Noordwest", "GM0344")),
    ),
    (
        "wijkteam2",
        "Wouter Peters",
        Role.DISTRICT_WORKER,
        ("district_team", ("Demo-wijkteam Nieuwegein", "GM0356")),
    ),
    ("directeur", "Dirk van Dam", Role.PARTNERSHIP_DIRECTOR, ("partnership", "PO2690")),
    ("beleid", "Bea Smit", Role.MUNICIPAL_OFFICER, ("municipality", "GM0344")),
    ("begeleidingsgroep", "Bram Visser", Role.STEERING_MEMBER, ("region", "UTR")),
    ("beheer", "Femke Jansen", Role.REGISTRY_ADMIN, ("region", "UTR")),
    ("privacy", "Pieter Mulder", Role.PRIVACY_OFFICER, ("region", "UTR")),
]


# The second region: real municipalities (CBS codes), fictional schools, teams and people.
BETUWE_DOMAIN = "betuwe.demo.tandem.test"
BETUWE_SUBREGIONS = [
    (
        "BET-BETUWE",
        "Betuwe",
        [
            ("GM0214", "Buren"),
            ("GM0216", "Culemborg"),
            ("GM1740", "Neder-Betuwe"),
            ("GM0281", "Tiel"),
            ("GM1960", "West Betuwe"),
        ],
    ),
    (
        "BET-BOMMEL",
        "Bommelerwaard en Maas en Waal",
        [
            ("GM0263", "Maasdriel"),
            ("GM0668", "West Maas en Waal"),
            ("GM0297", "Zaltbommel"),
        ],
    ),
]
BETUWE_PARTNERSHIPS = [
    ("PO2698", "Demo-SWV Primair Rivierenland", "po", "BET-BETUWE"),
    ("VO2698", "Demo-SWV Voortgezet Rivierenland", "vo", "BET-BETUWE"),
]
BETUWE_SCHOOLS = [
    ("98AA", "00", "Demo-basisschool De Appelgaard", "po", "PO2698", "GM0281", "4001 AA"),
    ("98AB", "00", "Demo-basisschool De Uiterwaard", "po", "PO2698", "GM0216", "4101 AB"),
    ("98AC", "00", "Demo-so De Kersenboom", "so", "PO2698", "GM0297", "5301 AC"),
    ("98AD", "00", "Demo-college De Linge", "vo", "VO2698", "GM0281", "4002 AD"),
]
BETUWE_DISTRICT_TEAMS = [
    ("Demo-sociaal team Tiel", "GM0281"),
    ("Demo-wijkteam Culemborg", "GM0216"),
    ("Demo-wijkteam Zaltbommel", "GM0297"),
]
BETUWE_CARE_PROVIDERS = ["Demo-jeugdhulp De Waal"]
BETUWE_ACCOUNTS = [
    ("ib", "Iris Brouwer", Role.SCHOOL_COORDINATOR, ("school", ("98AA", "00"))),
    (
        "wijkteam",
        "Willem de Wit",
        Role.DISTRICT_WORKER,
        ("district_team", ("Demo-sociaal team Tiel", "GM0281")),
    ),
    ("begeleidingsgroep", "Bente Verhoef", Role.STEERING_MEMBER, ("region", "BET")),
    ("beheer", "Frank Hendriks", Role.REGISTRY_ADMIN, ("region", "BET")),
    ("privacy", "Paula Mertens", Role.PRIVACY_OFFICER, ("region", "BET")),
]


def demo_accounts():
    """Every demo account as (e-mail, name, role), both regions."""
    return [(f"{local}@{DOMAIN}", name, role) for local, name, role, _org in ACCOUNTS] + [
        (f"{local}@{BETUWE_DOMAIN}", name, role) for local, name, role, _org in BETUWE_ACCOUNTS
    ]


PERSON_AFFILIATION = {
    "school": "schools",
    "district_team": "district_teams",
    "partnership": "partnerships",
    "municipality": "municipalities",
}


def _organisation(kind, key):
    if kind == "school":
        return School.objects.get(brin=key[0], vestiging=key[1])
    if kind == "district_team":
        return DistrictTeam.objects.get(name=key[0], municipality__cbs_code=key[1])
    if kind == "partnership":
        return Partnership.objects.get(code=key)
    if kind == "municipality":
        return Municipality.objects.get(cbs_code=key)
    return Region.objects.get(code=key)


@transaction.atomic
def seed(ctx):
    """Create or update the demo registry; returns the accounts as (email, role, organisation)."""
    region, _ = Region.objects.update_or_create(
        code="UTR", defaults={"name": "Regio Utrecht", "parent": None, "school_holiday_region": "midden"}
    )
    _seed_organisations(region, SUBREGIONS, PARTNERSHIPS, SCHOOLS, DISTRICT_TEAMS, CARE_PROVIDERS, DOMAIN)
    accounts = _seed_accounts(ctx, ACCOUNTS, DOMAIN)
    _seed_network()
    accounts += _seed_betuwe(ctx)
    _seed_themes()
    _seed_arrangements()
    return accounts


# Each demo region wears its own house style (ADR 0164), so the region one is in can be seen.
UTRECHT_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    '<title>Regio Utrecht</title><rect width="40" height="40" fill="#ffffff"/>'
    '<path d="M4 4h14v14H4zM22 22h14v14H22z" fill="#b30016"/>'
    '<text x="46" y="26" font-family="DejaVu Sans, Arial, sans-serif" font-size="15" '
    'font-weight="700" fill="#ffffff">Utrecht</text></svg>'
)
BETUWE_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    '<title>Regio Betuwe/Rivierenland</title><circle cx="20" cy="22" r="14" fill="#1b1b1b"/>'
    '<path d="M20 8c4-6 10-6 12-4-4 0-8 2-12 4z" fill="#1b1b1b"/>'
    '<text x="40" y="26" font-family="DejaVu Sans, Arial, sans-serif" font-size="15" '
    'font-weight="700" fill="#1b1b1b">Betuwe</text></svg>'
)
DEMO_THEMES = [
    # region code, admin, name, primary, text on primary, link colour, logo
    ("UTR", f"beheer@{DOMAIN}", "Jeugdhulp op school Utrecht", "#b30016", "#ffffff", "", UTRECHT_LOGO),
    ("BET", f"beheer@{BETUWE_DOMAIN}", "Tandem Rivierenland", "#f2c230", "#1b1b1b", "#1d5e20", BETUWE_LOGO),
]


def _seed_themes():
    for code, admin, name, primary, text, link, logo in DEMO_THEMES:
        image = theme_images.validate_image(
            SimpleUploadedFile("logo.svg", logo.encode(), content_type="image/svg+xml")
        )
        services.set_region_theme(
            User.objects.get(email=admin),
            Region.objects.get(code=code),
            display_name=name,
            primary_color=primary,
            primary_text_color=text,
            link_color=link,
            logo=image,
        )


def _seed_betuwe(ctx):
    """The second region; its school-holiday region is left empty, as its municipalities do not
    all fall in one."""
    region, _ = Region.objects.update_or_create(
        code="BET", defaults={"name": "Regio Betuwe/Rivierenland", "parent": None}
    )
    _seed_organisations(
        region,
        BETUWE_SUBREGIONS,
        BETUWE_PARTNERSHIPS,
        BETUWE_SCHOOLS,
        BETUWE_DISTRICT_TEAMS,
        BETUWE_CARE_PROVIDERS,
        BETUWE_DOMAIN,
    )
    accounts = _seed_accounts(ctx, BETUWE_ACCOUNTS, BETUWE_DOMAIN)
    Tandem.objects.get_or_create(
        school=School.objects.get(brin="98AA", vestiging="00"),
        valid_to=None,
        defaults={
            "school_coordinator": Person.objects.get(email=f"ib@{BETUWE_DOMAIN}"),
            "district_worker": Person.objects.get(email=f"wijkteam@{BETUWE_DOMAIN}"),
            "valid_from": datetime.date(2026, 1, 1),
            "district_team": DistrictTeam.objects.get(name="Demo-sociaal team Tiel"),
        },
    )
    return accounts


def _seed_organisations(region, subregions, partnerships, schools, teams, providers, domain):
    for code, name, municipalities in subregions:
        sub, _ = Region.objects.update_or_create(code=code, defaults={"name": name, "parent": region})
        for cbs, mname in municipalities:
            Municipality.objects.update_or_create(cbs_code=cbs, defaults={"name": mname, "region": sub})
    for code, name, sector, sub in partnerships:
        Partnership.objects.update_or_create(
            code=code, defaults={"name": name, "sector": sector, "region": Region.objects.get(code=sub)}
        )
    for brin, vest, name, stype, swv, gm, postcode in schools:
        School.objects.update_or_create(
            brin=brin,
            vestiging=vest,
            defaults={
                "name": name,
                "school_type": stype,
                "postcode": postcode,
                "partnership": Partnership.objects.get(code=swv),
                "municipality": Municipality.objects.get(cbs_code=gm),
                "collective_funding_pilot": (brin, vest) == ("99AE", "00"),
            },
        )
    for name, gm in teams:
        DistrictTeam.objects.update_or_create(
            name=name,
            municipality=Municipality.objects.get(cbs_code=gm),
            defaults={"email": f"{name.lower().replace(' ', '-')}@{domain}"},
        )
    for name in providers:
        CareProvider.objects.update_or_create(name=name, defaults={"region": region})


def _seed_accounts(ctx, rows, domain):
    accounts = []
    for local, name, role, (kind, key) in rows:
        email = f"{local}@{domain}"
        person, _ = Person.objects.update_or_create(
            email=email, defaults={"name": name, "function": str(role.label)}
        )
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        user.full_name = name
        user.person = person
        if ctx.get("password"):
            user.set_password(ctx["password"])
        elif created:
            user.set_unusable_password()
        user.save()
        org = _organisation(kind, key)
        Membership.objects.get_or_create(user=user, role=role, **{kind: org})
        if kind in PERSON_AFFILIATION:
            getattr(person, PERSON_AFFILIATION[kind]).add(org)
        accounts.append((email, role, org))
    return accounts


def _seed_network():
    """Tandems and fixed contacts, with deliberate gaps so the coverage page has work to show."""
    ib = Person.objects.get(email=f"ib@{DOMAIN}")
    ib2 = Person.objects.get(email=f"ib2@{DOMAIN}")
    worker = Person.objects.get(email=f"wijkteam@{DOMAIN}")
    worker2 = Person.objects.get(email=f"wijkteam2@{DOMAIN}")
    officer = Person.objects.get(email=f"beleid@{DOMAIN}")
    start = datetime.date(2026, 1, 1)
    esdoorn = School.objects.get(brin="99AA", vestiging="00")
    kompas = School.objects.get(brin="99AB", vestiging="00")
    Tandem.objects.get_or_create(
        school=esdoorn,
        valid_to=None,
        defaults={
            "school_coordinator": ib,
            "district_worker": worker,
            "valid_from": start,
            "district_team": DistrictTeam.objects.get(name="Demo-buurtteam Utrecht Noordwest"),
        },
    )
    Tandem.objects.get_or_create(
        school=kompas,
        valid_to=None,
        defaults={
            "school_coordinator": ib2,
            "district_worker": worker2,
            "valid_from": start,
            "district_team": DistrictTeam.objects.get(name="Demo-wijkteam Nieuwegein"),
        },
    )
    contact = Person.objects.update_or_create(
        email=f"contact.vso@{DOMAIN}",
        defaults={
            "name": "Carla Verbeek",
            "function": "Vaste contactpersoon jeugdhulp (v)so",
            "phone": "030 000 0001",
        },
    )[0]
    for brin, vest in (("99AE", "00"), ("99AD", "00")):
        ContactAssignment.objects.get_or_create(
            school=School.objects.get(brin=brin, vestiging=vest),
            valid_to=None,
            defaults={"person": contact, "valid_from": start},
        )
    ContactAssignment.objects.get_or_create(
        municipality=Municipality.objects.get(cbs_code="GM0344"),
        valid_to=None,
        defaults={"person": officer, "valid_from": start},
    )
    _seed_history_and_more(contact, start)


# Collective arrangements (ADR 0161), one per demo region: name, region, schools, provider,
# care worker (e-mail, name), education percentage, capacity.
ARRANGEMENTS = [
    (
        "Demo-arrangement Samen op school Noordwest",
        "UTR",
        [("99AA", "00"), ("99AB", "00")],
        "Demo-jeugdhulp De Kering",
        (f"zorg.kering@{DOMAIN}", "Zeynep Zorgzaam"),
        60,
        24,
    ),
    (
        "Demo-arrangement Jeugdhulp in de Appelgaard",
        "BET",
        [("98AA", "00")],
        "Demo-jeugdhulp De Waal",
        (f"zorg.waal@{BETUWE_DOMAIN}", "Wessel Waalkant"),
        50,
        12,
    ),
]


def _seed_arrangements():
    """A current arrangement in each demo region, from the start of the school year; an
    arrangement that exists (by name) is left alone."""
    today = timezone.localdate()
    start = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    for name, region_code, schools, provider_name, (email, worker_name), percentage, capacity in ARRANGEMENTS:
        if CollectiveArrangement.objects.filter(name=name).exists():
            continue
        provider = CareProvider.objects.get(name=provider_name)
        worker = Person.objects.update_or_create(
            email=email, defaults={"name": worker_name, "function": "Jeugdhulpverlener in school"}
        )[0]
        worker.care_providers.add(provider)
        arrangement = CollectiveArrangement.objects.create(
            region=Region.objects.get(code=region_code),
            name=name,
            education_percentage=percentage,
            capacity=capacity,
            valid_from=start,
            note="Demo: vaste jeugdhulpverlener op dinsdag en donderdag in school.",
        )
        arrangement.schools.set([School.objects.get(brin=b, vestiging=v) for b, v in schools])
        arrangement.providers.set([provider])
        arrangement.care_workers.set([worker])
        ArrangementRecord.objects.create(arrangement=arrangement, kind=ArrangementRecord.Kind.CREATED)


def _person(local, name, function, phone=""):
    return Person.objects.update_or_create(
        email=f"{local}@{DOMAIN}", defaults={"name": name, "function": function, "phone": phone}
    )[0]


def _seed_history_and_more(contact, start):
    """History ("who was our contact last year?"), backups, an assignment that ends soon, and
    contacts of a partnership and a district team. Dates relative to today are kept stable
    per organisation by matching on the start date."""
    baken = School.objects.get(brin="99AE", vestiging="00")
    for school in School.objects.filter(brin__in=["99AE", "99AD"], vestiging="00"):
        contact.schools.add(school)
    previous = _person("oud.contact", "Olaf de Oude", "Vaste contactpersoon (v)so tot 2026", "030 000 0009")
    ContactAssignment.objects.update_or_create(
        school=baken,
        valid_from=datetime.date(2025, 1, 1),
        defaults={"person": previous, "valid_to": start - datetime.timedelta(days=1)},
    )
    backup = _person("backup.vso", "Bianca Bos", "Orthopedagoog", "030 000 0002")
    ContactAssignment.objects.filter(school=baken, valid_to=None).update(backup=backup)
    nieuwegein = Municipality.objects.get(cbs_code="GM0356")
    leaving = _person("vertrekt", "Victor Verhuist", "Beleidsmedewerker jeugd Nieuwegein", "030 000 0003")
    leaving.municipalities.add(nieuwegein)
    ContactAssignment.objects.update_or_create(
        municipality=nieuwegein,
        valid_from=start,
        defaults={"person": leaving, "valid_to": timezone.localdate() + datetime.timedelta(days=21)},
    )
    director = Person.objects.get(email=f"directeur@{DOMAIN}")
    ContactAssignment.objects.get_or_create(
        partnership=Partnership.objects.get(code="PO2690"),
        valid_to=None,
        defaults={"person": director, "valid_from": start},
    )
    team = DistrictTeam.objects.get(name="Demo-buurtteam Utrecht Noordwest")
    worker = Person.objects.get(email=f"wijkteam@{DOMAIN}")
    ContactAssignment.objects.get_or_create(
        district_team=team, valid_to=None, defaults={"person": worker, "valid_from": start}
    )
    provider = CareProvider.objects.get(name="Demo-jeugdhulp De Kering")
    _person("intake.kering", "Ingrid Intake", "Intake jeugdhulp", "030 000 0004").care_providers.add(provider)
