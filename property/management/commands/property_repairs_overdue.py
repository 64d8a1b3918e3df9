"""`python manage.py property_repairs_overdue`: tell each community's owners' committee which repair requests are
past their due time (24 hours urgent, 3 days ordinary) and still open (issue 9).

Run it daily from cron, e.g. `30 8 * * * manage.py property_repairs_overdue`. Each run sends one notice per
committee member of a community with overdue requests, with the count and a link to the oversight page.
"""

from datetime import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from property.services.management import repairs_overdue_notify


class Command(BaseCommand):
    help = "Notify owners' committees of repair requests still open after their due time (issue 9)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", type=datetime.fromisoformat, help="Check as of this moment (YYYY-MM-DDTHH:MM, local time)."
        )

    def handle(self, *args, now=None, **options):
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        sent = repairs_overdue_notify(now=now)
        self.stdout.write(self.style.SUCCESS(f"{sent} notice(s) sent."))
