"""Demo data for the reports: nothing heavy. The dashboard computes from the demo referrals;
no PDF is generated at seed time (request one in the portal). The cooperation check (ADR 0151)
gets a set of fictional answers in Utrecht's subregions for the current and the previous
half-year, so its figure shows counts and a subregion below 5 answers. Utrecht gets a frozen
startfoto (ADR 0155) of the previous and the current school year, so the page compares them.
"""

from django.utils import timezone

from contacts.models import Membership, Region, Role
from referrals.models import CooperationFeedback
from reporting.models import StartPhoto
from reporting.periods import Period
from reporting.startfoto import SchoolYear, compute_snapshot

# subregion code -> [(cooperation, route_clear, how many)]
FEEDBACK = {
    "UTR-STAD": [("yes", "yes", 12), ("partly", "yes", 6), ("no", "partly", 5)],
    "UTR-LEK": [("yes", "yes", 6), ("yes", "partly", 5)],
    "UTR-WEST": [("yes", "no", 3)],
}


def seed_feedback():
    """Idempotent: a half-year that has answers is left alone. Returns the answers created."""
    created = 0
    for period in (Period.current(), Period.current().previous()):
        if CooperationFeedback.objects.filter(period=period.label, region__parent__code="UTR").exists():
            continue
        for code, answers in FEEDBACK.items():
            region = Region.objects.filter(code=code).first()
            if region is None:
                continue
            rows = [
                CooperationFeedback(region=region, period=period.label, cooperation=c, route_clear=r)
                for c, r, n in answers
                for _i in range(n)
            ]
            CooperationFeedback.objects.bulk_create(rows)
            created += len(rows)
    return created


def seed_startfotos():
    """Idempotent: a school year already frozen is left alone. Returns the startfotos created."""
    region = Region.objects.filter(code="UTR", parent__isnull=True).first()
    if region is None:
        return 0
    steering = (
        Membership.objects.filter(role=Role.STEERING_MEMBER, region=region).select_related("user").first()
    )
    created = 0
    current = SchoolYear.current()
    for year, frozen_on in (
        (current.previous(), current.previous().last_day),
        (current, timezone.localdate()),
    ):
        if StartPhoto.objects.filter(region=region, school_year=year.year).exists():
            continue
        StartPhoto.objects.create(
            region=region,
            school_year=year.year,
            frozen_on=frozen_on,
            frozen_by=steering.user if steering else None,
            data=compute_snapshot(region, year),
        )
        created += 1
    return created


def seed(ctx):
    created = seed_feedback()
    photos = seed_startfotos()
    stdout = ctx.get("stdout")
    if stdout is not None:
        stdout.write(
            "reporting: the dashboard and reports use the demo referrals (no PDF generated); "
            f"{created} cooperation answers, {photos} startfotos of Utrecht.\n"
        )
