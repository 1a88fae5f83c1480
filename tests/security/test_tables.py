"""security.tables writes the access-log viewer's rows in Python: the same markup as the
template's loop wrote before (kept below as the reference)."""

import pytest
from django.template import engines
from django.utils import translation

from portal.audit import log_access
from portal.models import AccessLog
from referrals.models import ListedReference
from referrals.views import LIST_OBJECT_TYPE
from security.accesslog import describe
from security.tables import access_log_row_html, access_log_rows_html
from tests.referrals.factories import referral_in

pytestmark = pytest.mark.django_db

# The loop's row of templates/security/access_log.html as it was.
TEMPLATE_ROW = """    <tr class="utrecht-table__row">
      <td class="utrecht-table__cell">{{ entry.at|date:"SHORT_DATETIME_FORMAT" }} ({{ entry.at|date:"T" }})</td>
      <td class="utrecht-table__cell">{{ entry.user.email }}</td>
      <td class="utrecht-table__cell">{{ entry.role_label }}</td>
      <td class="utrecht-table__cell">{{ entry.organisation }}</td>
      <td class="utrecht-table__cell">{{ entry.action_label }}</td>
      <td class="utrecht-table__cell">{{ entry.object_label }}</td>
      <td class="utrecht-table__cell">{{ entry.references }}</td>
    </tr>
"""  # noqa: E501 - the template's own lines


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_kind_of_row_is_written_as_the_template_wrote_it(world, language):
    referral = referral_in(world, "in_triage")
    worker = world.user("district_worker")
    log_access(
        worker, AccessLog.Action.VIEW, referral, role="district_worker", organisation='Team "<Oost>" & co'
    )
    listed = log_access(
        worker, AccessLog.Action.VIEW, role="district_worker", object_type=LIST_OBJECT_TYPE, object_id="inbox"
    )
    ListedReference.objects.create(entry=listed, referral_pk=referral.pk, reference=referral.reference)
    ListedReference.objects.create(entry=listed, referral_pk=referral.pk + 1, reference="<b>AJS-X</b>")
    log_access(world.user("privacy_officer"), AccessLog.Action.EXPORT, object_type="portal.accesslog")
    entries = list(AccessLog.objects.select_related("user").order_by("pk"))
    template = engines["django"].from_string(TEMPLATE_ROW)
    with translation.override(language):
        entries = describe(entries)
        for entry in entries:
            assert str(access_log_row_html(entry)) == template.render({"entry": entry}), entry.pk
    html = str(access_log_rows_html(entries))
    assert html.count("<tr") == len(entries) == 3
    assert "<b>" not in html and "<Oost>" not in html and "&lt;Oost&gt;" in html
