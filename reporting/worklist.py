"""The steering group's next report on its home page (ADR 0140)."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.home import WorkItem
from reporting.models import ProgressReport
from reporting.periods import Period
from reporting.scopes import Scope


def steering_worklist(membership):
    """The half-year report the steering group downloads next: that of the last half-year that
    has ended. The count is the reports of that half-year for the membership's (sub)region,
    linking to the report list filtered to exactly those (period and scope); the note says
    whether one is ready (and when the following one is due) or it still has to be made.
    One query."""
    period = Period.previous_completed()
    scope = Scope.for_region(membership.region)
    counts = (
        ProgressReport.objects.filter(period=period.label)
        .filter(**scope.report_fields())
        .aggregate(total=Count("pk"), ready=Count("pk", filter=Q(status=ProgressReport.Status.DONE)))
    )
    if counts["ready"]:
        following = period.next_period
        note = _("ready; next: %(period)s, after %(date)s") % {
            "period": following.verbose,
            "date": date_format(following.last_day, "DATE_FORMAT"),
        }
    else:
        note = _("not generated yet: request it on the list")
    url = reverse("reporting:report_list") + "?" + urlencode({"period": period.label, "scope": scope.key})
    return [
        WorkItem(_("progress reports of %(period)s") % {"period": period.verbose}, counts["total"], url, note)
    ]
