"""A checked import file waiting for the registry admin's confirmation (browser import)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PENDING_IMPORT_TTL = datetime.timedelta(hours=2)


class PendingImport(models.Model):
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self):
        return self.filename

    @classmethod
    def purge_expired(cls):
        cls.objects.filter(created_at__lt=timezone.now() - PENDING_IMPORT_TTL).delete()
