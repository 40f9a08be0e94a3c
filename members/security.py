"""A member's optional password and authenticator app (TOTP, django-otp).

With an authenticator, signing in takes two steps whichever way it starts (an emailed
link or the password): the first proves the address or the password and leaves only a
short-lived "pending" mark in the session; the code finishes it. Nothing is signed in
before the code.
"""

import time
from base64 import b32encode
from io import BytesIO

# qrcode's stubs are a separate package (types-qrcode) the project does not install.
import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model, login
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_PENDING = "member_pending"
PENDING_SECONDS = 300


def device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def finish_or_ask_code(request, user, clinic_id: int) -> bool:
    """Sign `user` in now (True), or, with an authenticator, remember them for the code
    step (False)."""
    if device_of(user) is None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return True
    request.session[SESSION_PENDING] = {
        "user": user.pk,
        "clinic": clinic_id,
        "until": time.time() + PENDING_SECONDS,
    }
    return False


def pending_user(request):
    pending = request.session.get(SESSION_PENDING)
    if not pending or pending.get("until", 0) < time.time():
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending.get("clinic")


def finish_with_code(request, user, device: TOTPDevice) -> None:
    request.session.pop(SESSION_PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)


def qr_svg(url: str) -> str:
    """The otpauth:// link as an inline SVG QR code (drawn here: nothing is fetched)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    return out.getvalue().decode()


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
