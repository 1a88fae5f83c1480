"""A small region in which every role has an account, plus a "foreign" side of each.

`world.user(actor)` gives the user for an actor name: each role in contacts.Role, plus
"other_school_coordinator", "other_district_worker", "other_partnership_director",
"other_municipal_officer" (same region, other organisation), "no_membership" and "anonymous".
The permission matrix and most tests build on this.
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

    def user(self, actor):
        return self.users.get(actor)


def build_world():
    w = World()
    w.region = f.RegionFactory(code="TST", name="Testregio")
    w.subregion = f.SubregionFactory(code="TST-A", name="Subregio A", parent=w.region)
    w.other_subregion = f.SubregionFactory(code="TST-B", name="Subregio B", parent=w.region)
    w.municipality = f.MunicipalityFactory(cbs_code="GM0901", name="Gemeente Aan", region=w.subregion)
    w.other_municipality = f.MunicipalityFactory(
        cbs_code="GM0902", name="Gemeente Bee", region=w.other_subregion
    )
    w.partnership = f.PartnershipFactory(code="PO0901", name="SWV Aan", region=w.subregion)
    w.other_partnership = f.PartnershipFactory(code="PO0902", name="SWV Bee", region=w.other_subregion)
    w.school = f.SchoolFactory(
        brin="91AA", name="Basisschool Aan", partnership=w.partnership, municipality=w.municipality
    )
    w.other_school = f.SchoolFactory(
        brin="91BB",
        name="Basisschool Bee",
        partnership=w.other_partnership,
        municipality=w.other_municipality,
    )
    w.district_team = f.DistrictTeamFactory(name="Wijkteam Aan", municipality=w.municipality)
    w.other_district_team = f.DistrictTeamFactory(name="Wijkteam Bee", municipality=w.other_municipality)
    w.care_provider = f.CareProviderFactory(name="Zorgaanbieder Aan", region=w.region)

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
        w.users[role.value] = f.make_member(role, own, email=f"{role.value}@example.test")
        if other is not None:
            w.users[f"other_{role.value}"] = f.make_member(
                role, other, email=f"other_{role.value}@example.test"
            )
    w.users["no_membership"] = f.UserFactory(email="nobody@example.test")
    w.users["anonymous"] = None
    w.tandem = f.TandemFactory(
        school=w.school,
        school_coordinator=w.users["school_coordinator"].person,
        district_worker=w.users["district_worker"].person,
        district_team=w.district_team,
    )
    return w
