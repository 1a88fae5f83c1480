from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from contacts import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ("school", "district_team", "partnership", "municipality", "region")


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "person", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()
    list_filter = ("is_active",)
    inlines = [MembershipInline]
    raw_id_fields = ("person",)


for model in (
    models.Region,
    models.Municipality,
    models.Partnership,
    models.School,
    models.DistrictTeam,
    models.CareProvider,
    models.Person,
):
    admin.site.register(model)


@admin.register(models.ContactAssignment, models.Tandem)
class PeriodAdmin(admin.ModelAdmin):
    """The period fields come from the abstract ValidPeriod, so Django lists them first; the form
    shows what the row is about first and the period after it."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        period = [f for f in ("valid_from", "valid_to", "created_by") if f in fields]
        return [f for f in fields if f not in period] + period
