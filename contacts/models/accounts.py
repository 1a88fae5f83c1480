"""Accounts: a custom user with e-mail login, and memberships that give roles in organisations.

Access is scoped by membership, never by `is_staff` (ADR 0002).
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models.conditions import any_of, only_set


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


class Membership(models.Model):
    """A user's role in exactly one organisation; a user may hold several."""

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
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=f"membership_unique_{field}",
                )
                for field in ORGANISATION_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def organisation(self):
        return getattr(self, ROLE_ORGANISATION_FIELD[Role(self.role)])
