"""`python manage.py governance_minutes_overdue`: tell the owners' committee and the community staff
(sub-district) about minutes not published within 3 days of their meeting (A-12, C-07).

Run it daily from cron, e.g. `15 8 * * * manage.py governance_minutes_overdue`. Each meeting is reported once
(an audit entry marks it), so running it more often does no harm.
"""

from datetime import date

from django.core.management.base import BaseCommand

from governance.services.meetings import minutes_overdue_notify


class Command(BaseCommand):
    help = "Notify committees and community staff of meetings whose minutes are overdue (A-12, C-07)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Check as of this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        reported = minutes_overdue_notify(today=today)
        for meeting in reported:
            self.stdout.write(f"{meeting.pk}\t{meeting.title}")
        self.stdout.write(self.style.SUCCESS(f"{len(reported)} meeting(s) reported."))
