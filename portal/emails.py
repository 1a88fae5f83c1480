"""The e-mails of notifications (ADR 0152): one per notification, or one daily digest.

Each is a text part and an HTML part rendered from templates/emails/ in the RECIPIENT's
language (their NotificationPreference, default settings.LANGUAGE_CODE) with
translation.override, never in the language of whoever caused the notification. They carry
what the notification carries (its kind in words, the case's reference number and its fixed
text: no child data, ADR 0115), a greeting by the recipient's name, the link into Tandem
(settings.SITE_URL) and a footer saying why the mail came and where to change that.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import NotificationPreference


def _render(template, context, language):
    with translation.override(language):
        subject = str(context["subject_factory"]())
        context = {**context, "subject": subject, "language": language}
        text = render_to_string(f"emails/{template}.txt", context).strip() + "\n"
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def _base_context(user, preference):
    return {
        "user": user,
        "preference": preference,
        "digest": preference.delivery == NotificationPreference.Delivery.DAILY_DIGEST,
        "site_url": settings.SITE_URL,
        "settings_url": f"{settings.SITE_URL}{reverse('notifications:settings')}",
        "list_url": f"{settings.SITE_URL}{reverse('notifications:list')}",
    }


def _message(user, subject, text, html):
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def notification_message(notification, preference=None):
    """The e-mail of one notification, to its user."""
    user = notification.user
    preference = preference or NotificationPreference.of(user)
    context = {
        **_base_context(user, preference),
        "notification": notification,
        "link": f"{settings.SITE_URL}{notification.url}",
        "subject_factory": lambda: f"Tandem: {notification.subject}",
    }
    return _message(user, *_render("notification", context, preference.language))


def group_by_case(notifications):
    """[(reference, [notifications])] in the order the cases first appear; the notifications
    without a reference together at the end under ""."""
    groups = {}
    for notification in notifications:
        groups.setdefault(notification.reference, []).append(notification)
    loose = groups.pop("", None)
    return [*groups.items(), *([("", loose)] if loose else [])]


def digest_message(user, notifications, preference=None):
    """One e-mail with `notifications` (oldest first), grouped by case."""
    preference = preference or NotificationPreference.of(user)
    notifications = list(notifications)
    for notification in notifications:
        notification.link = f"{settings.SITE_URL}{notification.url}"
    count = len(notifications)
    context = {
        **_base_context(user, preference),
        "count": count,
        "groups": group_by_case(notifications),
        "subject_factory": lambda: (
            _("Tandem: %(summary)s")
            % {
                "summary": ngettext("%(count)s new notification", "%(count)s new notifications", count)
                % {"count": count}
            }
        ),
    }
    return _message(user, *_render("digest", context, preference.language))
