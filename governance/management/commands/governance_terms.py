"""`python manage.py governance_terms [--date YYYY-MM-DD]`: the nightly housekeeping of bodies' terms.

Ends the seats whose term ran out or whose holder stopped being an owner (C-10) and sends the term-end
reminders due three months before a body's term ends (C-11). Safe to run more than once a day: a seat ends
once and a reminder goes once per term. Run it from cron shortly after midnight, e.g.
`5 0 * * * cd /srv/portal && .venv/bin/python manage.py governance_terms`.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.services.bodies import memberships_expire, term_reminders_send


class Command(BaseCommand):
    help = "End expired seats (C-10) and send term-end reminders (C-11) for today."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD); for catching up.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        ended = memberships_expire(today)
        reminded = term_reminders_send(today)
        self.stdout.write(f"{today.isoformat()}: {len(ended)} seat(s) ended, {len(reminded)} term reminder(s) sent.")
