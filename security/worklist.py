"""The privacy officer's home-page worklist (ADR 0140): the access-log entries of the last
week and the open data-subject requests with the first deadline. Each count links to the list
that shows exactly those."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.home import WorkItem
from security import accesslog
from security.data_subject import open_requests

RECENT_LOG_DAYS = 7


def privacy_officer_worklist(membership):
    since = timezone.localdate() - datetime.timedelta(days=RECENT_LOG_DAYS - 1)
    entries = accesslog.filtered_entries({"date_from": since}, membership.user).count()
    requests = list(open_requests([membership.region_id]).only("deadline", "extended_until"))
    note = ""
    if requests:
        first = min(r.current_deadline for r in requests)
        note = _("first deadline %(date)s") % {"date": date_format(first, "DATE_FORMAT")}
    log_url = f"{reverse('security:access_log')}?date_from={since.isoformat()}"
    return [
        WorkItem(_("access-log entries in the last 7 days"), entries, log_url),
        WorkItem(_("open data-subject requests"), len(requests), reverse("security:request_list"), note),
    ]
