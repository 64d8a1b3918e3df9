"""Prove every community's books agree with the documents behind them (issue 6); exit 1 when any does not."""

from django.core.management.base import BaseCommand, CommandError

from home.models import CommunityPage
from property.selectors import consistency_problems


class Command(BaseCommand):
    help = "核对每个小区的账目：分录与收费、收款单据逐户逐账户一致。"

    def handle(self, *args, **options):
        failing = 0
        for community in CommunityPage.objects.live().order_by("pk"):
            problems = consistency_problems(community)
            if problems:
                failing += 1
                self.stdout.write(f"{community.title}：")
                for problem in problems:
                    self.stdout.write(f"  {problem}")
            else:
                self.stdout.write(f"{community.title}：账目一致。")
        if failing:
            raise CommandError(f"{failing} 个小区的账目不一致。")
