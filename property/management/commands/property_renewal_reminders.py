"""`python manage.py property_renewal_reminders`: remind each owners' committee to decide on renewing its property
service contract (issue 9, P-02).

The owners' assembly decides renewal at least three months before the contract ends (Henan regulations art. 51);
the committee is reminded a month before that deadline. Run it daily from cron, e.g.
`0 8 * * * manage.py property_renewal_reminders`. Each contract is reminded once.
"""

from datetime import date

from django.core.management.base import BaseCommand

from property.services.management import renewal_reminders_send


class Command(BaseCommand):
    help = "Remind owners' committees to decide on renewing their property service contracts (issue 9, P-02)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Check as of this day (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        sent = renewal_reminders_send(today=today)
        self.stdout.write(self.style.SUCCESS(f"{sent} contract(s) reminded."))
