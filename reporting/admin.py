from django.contrib import admin

from reporting.models import ProgressReport


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Read-only: reports are made by the task; the file is downloaded through the portal."""

    list_display = (
        "period",
        "scope_name",
        "status",
        "scheduled",
        "requested_by",
        "requested_at",
        "finished_at",
    )
    list_filter = ("status", "period", "scheduled")
    readonly_fields = [f.name for f in ProgressReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
