from django.contrib import admin

from agenda.models import Activity, Agenda, Ambition, Goal, Meeting, ProgressUpdate


@admin.register(Agenda)
class AgendaAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "period_start", "period_end"]


@admin.register(Ambition)
class AmbitionAdmin(admin.ModelAdmin):
    list_display = ["number", "agenda", "text"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "target_value", "target_unit", "indicator"]
    list_select_related = ["ambition"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "status", "due_date", "impact", "added_value"]
    list_select_related = ["ambition"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: progress updates are append-only."""

    list_display = ["activity", "date", "status", "author"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "meeting_type", "place", "region"]
