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
    models.ContactAssignment,
    models.Tandem,
):
    admin.site.register(model)
