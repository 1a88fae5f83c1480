from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import home, navigation
from referrals.consent import register_sharing_hold


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from contacts.models import Role
        from security import breaches, data_subject, signals, sso, worklist  # noqa: F401 - signals connects the receivers, sso registers its check

        register_sharing_hold(data_subject.restriction_holds)
        # The verifying device is read from the cache; a change of a device removes it (ADR 0176).
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from security import devices

        devices.watch_devices(TOTPDevice, StaticDevice)
        home.register_worklist(Role.PRIVACY_OFFICER, worklist.privacy_officer_worklist)

        navigation.register(1200, "security:access_log", _("Access log"), roles=[Role.PRIVACY_OFFICER])
        navigation.register(
            1300, "security:subject_access", _("Subject access request"), roles=[Role.PRIVACY_OFFICER]
        )
        navigation.register(1400, "security:register", _("Processing register"), roles=[Role.PRIVACY_OFFICER])
        navigation.register(
            1500, "security:request_list", _("Data-subject requests"), roles=[Role.PRIVACY_OFFICER]
        )
        home.register(
            Role.PRIVACY_OFFICER,
            "security:request_list",
            _("Data-subject requests"),
            data_subject.home_summary,
        )
        navigation.register(1600, "security:breach_list", _("Breach register"), roles=[Role.PRIVACY_OFFICER])
        home.register(
            Role.PRIVACY_OFFICER,
            "security:breach_list",
            _("Breach register"),
            breaches.home_summary,
        )
        home.register(
            Role.PRIVACY_OFFICER,
            "security:account_records",
            _("Account changes"),
            _("who added or ended whose role, deactivated an account or reset two-step verification"),
        )
        home.register(
            Role.PRIVACY_OFFICER,
            "security:register",
            _("Processing register"),
            _("every field with personal data (AVG art. 30)"),
        )
