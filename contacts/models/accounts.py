"""Accounts: a custom user with e-mail login, and memberships that give roles in organisations.

Access is scoped by membership, never by `is_staff` (ADR 0002).
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models.conditions import any_of, only_set
from portal.models import AppendOnlyError


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    person = models.OneToOneField(
        "contacts.Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    SCHOOL_COORDINATOR = "school_coordinator", _("school coordinator (IB-er)")
    DISTRICT_WORKER = "district_worker", _("district-team worker")
    PARTNERSHIP_DIRECTOR = "partnership_director", _("partnership director")
    MUNICIPAL_OFFICER = "municipal_officer", _("municipal policy officer")
    STEERING_MEMBER = "steering_member", _("steering-group member")
    REGISTRY_ADMIN = "registry_admin", _("registry administrator")
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer")


# Which organisation field a membership of each role points at.
ROLE_ORGANISATION_FIELD = {
    Role.SCHOOL_COORDINATOR: "school",
    Role.DISTRICT_WORKER: "district_team",
    Role.PARTNERSHIP_DIRECTOR: "partnership",
    Role.MUNICIPAL_OFFICER: "municipality",
    Role.STEERING_MEMBER: "region",
    Role.REGISTRY_ADMIN: "region",
    Role.PRIVACY_OFFICER: "region",
}
ORGANISATION_FIELDS = ("school", "district_team", "partnership", "municipality", "region")


def _role_org_condition():
    return any_of(
        only_set(field, ORGANISATION_FIELDS, role=role.value)
        for role, field in ROLE_ORGANISATION_FIELD.items()
    )


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """The memberships that count: an ended one is kept as history only (ADR 0137)."""
        return self.filter(ended_on__isnull=True)


# For a lookup through a relation (e.g. `User.objects.filter(memberships__role=…)`): put
# `**CURRENT_MEMBERSHIP` in the same filter() call so that the same membership row is meant (ADR 0137).
CURRENT_MEMBERSHIP = {"memberships__ended_on__isnull": True}


class Membership(models.Model):
    """A user's role in exactly one organisation; a user may hold several. An ended membership
    (`ended_on` set) is history: the portal treats it as absent (ADR 0137)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    school = models.ForeignKey(
        "contacts.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    district_team = models.ForeignKey(
        "contacts.DistrictTeam",
        verbose_name=_("district team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    partnership = models.ForeignKey(
        "contacts.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        "contacts.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    region = models.ForeignKey(
        "contacts.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=_role_org_condition(), name="membership_role_matches_organisation"
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", "role", field],
                    condition=models.Q(**{f"{field}__isnull": False, "ended_on__isnull": True}),
                    name=f"membership_unique_current_{field}",
                )
                for field in ORGANISATION_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def organisation(self):
        return getattr(self, ROLE_ORGANISATION_FIELD[Role(self.role)])


class MembershipRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Account records are append-only.")

    def delete(self):
        raise AppendOnlyError("Account records are append-only.")


class MembershipRecord(models.Model):
    """What an administrator did to an account or a membership, for the privacy officer
    (ADR 0137). Append-only: a row is written once and never changed or removed here. The
    role and organisation are kept as text too, so a record still reads after the membership
    or the organisation is gone."""

    class Kind(models.TextChoices):
        ADDED = "added", _("membership added")
        ENDED = "ended", _("membership ended")
        DEACTIVATED = "deactivated", _("account deactivated")
        REACTIVATED = "reactivated", _("account reactivated")
        TWO_FACTOR_RESET = "two_factor_reset", _("two-step verification reset")
        INVITED = "invited", _("invited")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_records",
    )
    user_name = models.CharField(_("account name"), max_length=250, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    region = models.ForeignKey(
        "contacts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="membership_records",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = MembershipRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("account record")
        verbose_name_plural = _("account records")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.user_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Account records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Account records are append-only.")
