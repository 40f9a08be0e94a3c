"""Admin sign-in for staff who hold clients' photos and contact details.

- Lockouts (django-axes): a username from one address (client_id) after
  AXES_FAILURE_LIMIT failures. Never a username from everywhere: a stranger who knows a
  staff username could then lock that person out at will. Guessing spread over many
  addresses meets the second factor and passwords of 12 characters or more.
- Two-factor sign-in with TOTP (django-otp): a staff member with an authenticator device
  gives its 6-digit code with the password; with ADMIN_2FA_REQUIRED (the default when
  DEBUG is off), staff without one cannot use the admin until they have one: from the
  server's command line (`manage.py add_totp_device`, which the sign-in page names), or
  from an administrator's "TOTP devices" page in the admin. Never from the sign-in page
  itself: a password alone must not be enough to enrol a device.
- Idle sessions end after ADMIN_SESSION_IDLE_HOURS (settings: SESSION_COOKIE_AGE).
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=gettext_lazy("Authentication code"),
        required=False,
        max_length=8,
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows, if you have set one up."
        ),
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
                raise forms.ValidationError(_("Please enter the code from your authenticator app."))
            if not allowed:  # django-otp waits longer after each wrong code
                raise forms.ValidationError(
                    _(
                        "Too many wrong codes in a row. Please wait a few seconds, then try "
                        "the code your app shows then."
                    )
                )
            if not device.verify_token(token):
                raise forms.ValidationError(
                    _(
                        "That authentication code is not right (or has expired). Please try "
                        "the code your app shows now."
                    )
                )
            user.otp_device = device  # django-otp marks the session verified at login
        elif settings.ADMIN_2FA_REQUIRED:
            raise forms.ValidationError(no_device_message(user))
        return data


def no_device_message(user) -> str:
    """What someone with the right password but no authenticator does next.

    A superuser may be the first (or only) one: they are shown the exact command, run on
    the server, that adds their device. Others ask someone who can run it or use the admin.
    """
    command = f"python manage.py add_totp_device {user.get_username()}"
    if user.is_superuser:
        return _(
            "This admin requires two-factor sign-in and your account has no authenticator "
            "yet. To add one, run “%(command)s” on the server (in compose: “docker compose "
            "run --rm web %(command)s”), open the otpauth:// link it prints in your "
            "authenticator app (or scan a QR code of it), then sign in here with the "
            "password and the code the app shows."
        ) % {"command": command}
    return _(
        "This admin requires two-factor sign-in and your account has no authenticator "
        "yet. Please ask an administrator to add one for you: they can run "
        "“%(command)s” on the server, or add a TOTP device for you in the admin."
    ) % {"command": command}


class StaffAdminSite(AdminSite):
    """The default admin site, with the sign-in above (installed on admin.site in urls.py)."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def admin_view(self, view, cacheable=False):
        """Every admin page: an address with a NUL character (`?country=%00`) gets a 400
        saying so. A filter would pass it on to PostgreSQL, which refuses NUL in any
        string, and the list would answer 500."""
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
                return HttpResponseBadRequest(
                    "This address holds a NUL character (%00), which no filter or search "
                    "can match. Go back to the list and choose the filter again.",
                    content_type="text/plain; charset=utf-8",
                )
            return wrapped(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        """Someone already signed in (before 2FA was required) but not verified is told
        how to add an authenticator, not only that this account may not use the admin."""
        user = request.user
        if (
            request.method == "GET"  # a POST answers with the form's own message
            and settings.ADMIN_2FA_REQUIRED
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not user.is_verified()
            and totp_device(user) is None
        ):
            extra_context = {**(extra_context or {}), "no_device_message": no_device_message(user)}
        return super().login(request, extra_context)

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_2FA_REQUIRED or request.user.is_verified()


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value
