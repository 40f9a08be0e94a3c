"""Admin sign-in for staff who hold clients' photos and contact details.

- Lockouts (django-axes): a username from one address after AXES_FAILURE_LIMIT failures,
  and a username from anywhere after AXES_USERNAME_FAILURE_LIMIT, which catches guessing
  spread over many addresses (StaffLockoutHandler).
- Two-factor sign-in with TOTP (django-otp): a staff member with an authenticator device
  gives its 6-digit code with the password; with ADMIN_2FA_REQUIRED, staff without one
  cannot use the admin until an administrator adds one (`manage.py add_totp_device`, or
  "TOTP devices" in the admin, which shows the QR code to scan).
- Idle sessions end after ADMIN_SESSION_IDLE_HOURS (settings: SESSION_COOKIE_AGE).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models import Sum
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, also locking a username whatever the address."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        limit = settings.AXES_USERNAME_FAILURE_LIMIT
        username = get_client_username(request, credentials)
        if limit <= 0 or not username:
            return False
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if failures < limit:
            return False
        # What axes' own per-address check leads to: AxesMiddleware answers with the
        # lockout page (axes only sets this flag itself for its own limit).
        request.axes_locked_out = True
        return True


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="Authentication code",
        required=False,
        max_length=8,
        help_text="The 6 digits your authenticator app shows, if you have set one up.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()  # the password first: nothing is said about codes before it
        user = self.get_user()
        device = totp_device(user) if user is not None else None
        if device is not None:
            token = (data.get("otp_token") or "").replace(" ", "")
            allowed, _extra = device.verify_is_allowed()
            if not token:
                raise forms.ValidationError("Please enter the code from your authenticator app.")
            if not allowed:  # django-otp waits longer after each wrong code
                raise forms.ValidationError(
                    "Too many wrong codes in a row. Please wait a few seconds, then try the "
                    "code your app shows then."
                )
            if not device.verify_token(token):
                raise forms.ValidationError(
                    "That authentication code is not right (or has expired). Please try the "
                    "code your app shows now."
                )
            user.otp_device = device  # django-otp marks the session verified at login
        elif settings.ADMIN_2FA_REQUIRED:
            raise forms.ValidationError(
                "This admin requires two-factor sign-in and your account has no "
                "authenticator yet. Please ask an administrator to add one for you."
            )
        return data


class StaffAdminSite(AdminSite):
    """The default admin site, with the sign-in above (installed on admin.site in urls.py)."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_2FA_REQUIRED or request.user.is_verified()
