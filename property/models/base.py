from django.core.exceptions import PermissionDenied
from django.db import models

APPEND_ONLY_MESSAGE = "账目只能追加，不能修改或删除；更正请做冲正分录并写明原因。"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused too, not only ``save()`` and ``delete()`` on one row."""

    def update(self, **kwargs):
        raise PermissionDenied(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise PermissionDenied(APPEND_ONLY_MESSAGE)


class AppendOnly(models.Model):
    """A money record: written once by a service, never edited or deleted (database triggers refuse it too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY_MESSAGE)
