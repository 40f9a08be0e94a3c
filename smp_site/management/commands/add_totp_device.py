"""Give a staff member an authenticator (TOTP) device, and print what their app needs."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Add a TOTP authenticator device to a staff account and print its otpauth:// link."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username} is not a staff account.")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(
            f"Added {name!r} for {username}. Open this link on the phone with the "
            "authenticator app, or make a QR code of it (the admin's TOTP devices page "
            f"shows one):\n{device.config_url}"
        )
