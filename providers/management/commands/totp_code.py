"""Print the current code of a demo login's authenticator (make run), for people without an
authenticator app to hand. Refused outside DEBUG and for any device but the demo's."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.accounts import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Only in development (DEBUG=1): real people use their authenticator app.")
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator (load_demo gives one to directors and admin).")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
