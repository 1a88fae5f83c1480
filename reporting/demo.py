"""Demo data for the reports: nothing heavy. The dashboard computes from the demo referrals;
no PDF is generated at seed time (request one in the portal). The cooperation check (ADR 0151)
gets a set of fictional answers in Utrecht's subregions for the current and the previous
half-year, so its figure shows counts and a subregion below 5 answers."""

from contacts.models import Region
from referrals.models import CooperationFeedback
from reporting.periods import Period

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


def seed(ctx):
    created = seed_feedback()
    stdout = ctx.get("stdout")
    if stdout is not None:
        stdout.write(
            "reporting: the dashboard and reports use the demo referrals (no PDF generated); "
            f"{created} cooperation answers.\n"
        )
