"""Data-subject requests for tests, and a second region with its own privacy officer."""

import datetime

from django.utils import timezone

from contacts.models import Role
from referrals.models import Status
from security import data_subject
from tests.contacts import factories as f
from tests.referrals.factories import ReferralFactory


def request_for(world, kind="access", reference="", received_on=None, **kwargs):
    """A request registered by the world's privacy officer through the service."""
    return data_subject.register_request(
        world.user("privacy_officer"),
        kind=kind,
        requester_name=kwargs.pop("requester_name", "J. de Ouder"),
        requester_relation=kwargs.pop("requester_relation", "parent"),
        received_on=received_on or timezone.localdate() - datetime.timedelta(days=3),
        reference=reference,
        **kwargs,
    )


def foreign_region():
    """Another region: its privacy officer, and a submitted referral of one of its schools."""
    region = f.RegionFactory(code="OTH", name="Andere regio")
    subregion = f.SubregionFactory(code="OTH-A", name="Andere subregio", parent=region)
    municipality = f.MunicipalityFactory(cbs_code="GM0999", name="Gemeente Elders", region=subregion)
    school = f.SchoolFactory(brin="99ZZ", name="School Elders", municipality=municipality)
    officer = f.make_member(Role.PRIVACY_OFFICER, region, email="fg-elders@example.test")
    referral = ReferralFactory(school=school, status=Status.SUBMITTED, reference="AJS-2026-99001")
    return officer, referral


def breach_for(world, **kwargs):
    """A breach recorded by the world's privacy officer through the service."""
    from security import breaches

    return breaches.record_breach(
        world.user("privacy_officer"),
        title=kwargs.pop("title", "Export naar verkeerd adres"),
        description=kwargs.pop("description", "Een export is naar het verkeerde adres gestuurd."),
        found_at=kwargs.pop("found_at", timezone.now() - datetime.timedelta(hours=2)),
        **kwargs,
    )
