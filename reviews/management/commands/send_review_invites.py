"""Send the review invitations that are due (beat runs this daily; safe to run again)."""

from django.core.management.base import BaseCommand

from reviews.invites import send_review_invites


class Command(BaseCommand):
    help = "Invite clients who chose a clinic to review it, once healed and a year on."

    def handle(self, *args, **options):
        created = send_review_invites()
        self.stdout.write(f"{created} review invitation{'s' if created != 1 else ''} sent.")
