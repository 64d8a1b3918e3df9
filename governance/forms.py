"""The MeetingPage editing form in the Wagtail admin: notice periods (A-09, C-07) and the agenda lock (A-09)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from governance.domain import meetings as rules

AGENDA_LOCKED = (
    "The notice of this meeting is published, so its agenda is locked: only announced items may be decided (A-09)."
)


class MeetingPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        body = self._body()
        starts_at = cleaned.get("starts_at")
        if body is not None and starts_at and self._starts_at_is_new():
            self._check_notice_period(body, starts_at)
        if self.instance.agenda_locked and self._agenda_changed():
            raise ValidationError(_(AGENDA_LOCKED))
        return cleaned

    def _body(self):
        from governance.models import BodyPage

        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if parent is None:
            return None
        return BodyPage.objects.filter(pk=parent.pk).first()

    def _starts_at_is_new(self) -> bool:
        return self.instance.pk is None or "starts_at" in self.changed_data

    def _check_notice_period(self, body, starts_at):
        """A notice cannot go out before the page is saved, so the period is counted from now — or, once the
        notice is out, from the day it went out."""
        from governance.services.meetings import notice_rule_message

        notice_at = self.instance.notice_published_at or timezone.now()
        if not rules.notice_period_met(body_kind=body.kind, notice_at=notice_at, starts_at=starts_at):
            self.add_error("starts_at", notice_rule_message(body.kind))

    def _agenda_changed(self) -> bool:
        formset = self.formsets.get("agenda_items")
        if formset is None:
            return False
        if not formset.is_valid():
            return True
        submitted = [
            f
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and (f.instance.pk or f.has_changed())
        ]
        submitted.sort(key=lambda f: f.cleaned_data.get("ORDER") or 10**6)
        now = [
            (
                f.instance.pk,
                f.cleaned_data.get("title"),
                f.cleaned_data.get("description"),
                _pk(f.cleaned_data.get("document")),
            )
            for f in submitted
        ]
        saved = [
            (item.pk, item.title, item.description, item.document_id)
            for item in self.instance.agenda_items.model.objects.filter(meeting=self.instance).order_by(
                "sort_order", "pk"
            )
        ]
        return now != saved


def _pk(obj):
    return obj.pk if obj is not None else None


class BodyPageForm(WagtailAdminPageForm):
    """Editors in the Wagtail admin meet the same rules as the service (C-01, C-02, C-15)."""

    def clean(self):
        cleaned = super().clean()
        from governance.services.bodies import body_rules_check

        community = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if community is None or not cleaned.get("kind"):
            return cleaned
        try:
            body_rules_check(
                community=community,
                kind=cleaned["kind"],
                seat_count=cleaned.get("seat_count"),
                term_start=cleaned.get("term_start"),
                term_end=cleaned.get("term_end"),
                body_pk=self.instance.pk,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned
