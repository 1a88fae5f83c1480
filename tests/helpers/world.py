"""A small region in which every role has an account, plus a "foreign" side of each.

`world.user(actor)` gives the user for an actor name: each role in contacts.Role, plus
"other_school_coordinator", "other_district_worker", "other_partnership_director",
"other_municipal_officer" (same region, other organisation), "no_membership" and "anonymous".
The permission matrix and most tests build on this.

`world.abroad` is a second, complete world in another region ("Regio Elders", built on first
use): the same actors with the same roles, none of whom may see or touch the first world's
objects (ADR 0123, ADR 0147). The permission matrix's region axis logs in its users.
"""

from dataclasses import dataclass, field

from contacts.models import Role
from tests.contacts import factories as f

ACTORS = [
    *[role.value for role in Role],
    "other_school_coordinator",
    "other_district_worker",
    "other_partnership_director",
    "other_municipal_officer",
    "no_membership",
    "anonymous",
]


@dataclass
class World:
    region: object = None
    subregion: object = None
    other_subregion: object = None
    municipality: object = None
    other_municipality: object = None
    partnership: object = None
    other_partnership: object = None
    school: object = None
    other_school: object = None
    district_team: object = None
    other_district_team: object = None
    care_provider: object = None
    tandem: object = None
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    _abroad: object = None

    def user(self, actor):
        return self.users.get(actor)

    @property
    def abroad(self):
        """The same world in another region, with the same actors (built on first use)."""
        if self._abroad is None:
            self._abroad = build_world(**ABROAD)
        return self._abroad


# The second region: codes, names and addresses that do not clash with (or contain) the first's.
HOME = {
    "code": "TST",
    "name": "Testregio",
    "number": "09",
    "brin": "91",
    "names": ("Aan", "Bee"),
    "domain": "example.test",
}
ABROAD = {
    "code": "ELD",
    "name": "Regio Elders",
    "number": "08",
    "brin": "81",
    "names": ("Ver", "Zee"),
    "domain": "elders.example.test",
}


def build_world(**region):
    """The home world (`HOME`), or with `ABROAD` the second region's."""
    r = {**HOME, **region}
    code, name, number, brin, domain = r["code"], r["name"], r["number"], r["brin"], r["domain"]
    a, b = r["names"]
    w = World()
    w.region = f.RegionFactory(code=code, name=name)
    w.subregion = f.SubregionFactory(code=f"{code}-A", name=f"Subregio {a[0]}", parent=w.region)
    w.other_subregion = f.SubregionFactory(code=f"{code}-B", name=f"Subregio {b[0]}", parent=w.region)
    w.municipality = f.MunicipalityFactory(cbs_code=f"GM{number}01", name=f"Gemeente {a}", region=w.subregion)
    w.other_municipality = f.MunicipalityFactory(
        cbs_code=f"GM{number}02", name=f"Gemeente {b}", region=w.other_subregion
    )
    w.partnership = f.PartnershipFactory(code=f"PO{number}01", name=f"SWV {a}", region=w.subregion)
    w.other_partnership = f.PartnershipFactory(
        code=f"PO{number}02", name=f"SWV {b}", region=w.other_subregion
    )
    w.school = f.SchoolFactory(
        brin=f"{brin}AA", name=f"Basisschool {a}", partnership=w.partnership, municipality=w.municipality
    )
    w.other_school = f.SchoolFactory(
        brin=f"{brin}BB",
        name=f"Basisschool {b}",
        partnership=w.other_partnership,
        municipality=w.other_municipality,
    )
    w.district_team = f.DistrictTeamFactory(name=f"Wijkteam {a}", municipality=w.municipality)
    w.other_district_team = f.DistrictTeamFactory(name=f"Wijkteam {b}", municipality=w.other_municipality)
    w.care_provider = f.CareProviderFactory(name=f"Zorgaanbieder {a}", region=w.region)

    orgs = {
        Role.SCHOOL_COORDINATOR: (w.school, w.other_school),
        Role.DISTRICT_WORKER: (w.district_team, w.other_district_team),
        Role.PARTNERSHIP_DIRECTOR: (w.partnership, w.other_partnership),
        Role.MUNICIPAL_OFFICER: (w.municipality, w.other_municipality),
        Role.STEERING_MEMBER: (w.region, None),
        Role.REGISTRY_ADMIN: (w.region, None),
        Role.PRIVACY_OFFICER: (w.region, None),
    }
    for role, (own, other) in orgs.items():
        w.users[role.value] = f.make_member(role, own, email=f"{role.value}@{domain}")
        if other is not None:
            w.users[f"other_{role.value}"] = f.make_member(role, other, email=f"other_{role.value}@{domain}")
    w.users["no_membership"] = f.UserFactory(email=f"nobody@{domain}")
    w.users["anonymous"] = None
    w.tandem = f.TandemFactory(
        school=w.school,
        school_coordinator=w.users["school_coordinator"].person,
        district_worker=w.users["district_worker"].person,
        district_team=w.district_team,
    )
    return w
