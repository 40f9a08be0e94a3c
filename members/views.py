"""Signing in to a clinic account, and its home page.

Pages here are private (never cached, never indexed). The sign-in form says the same
whatever address is typed; a link opens a page with one button, and only the POST of
that button signs in (mail scanners open links; GET never writes).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.models import Artist, Clinic
from common.decorators import address_rate_limited, over_rate_limit, private_page

from . import security
from .access import SESSION_CLINIC, SESSION_NEXT, current_member, member_required
from .forms import CodeForm, EmailLanguageForm, InviteForm, PasswordSignInForm, SignInForm
from .links import link_id_from
from .models import ClinicMember, SignInLink, normalise_email
from .signin import SignInRefused, ask_for_link, invite, use_link

User = get_user_model()

SESSION_ASKED = "member_sign_in_asked"
WRONG_CODE = gettext_lazy("That code is not right, or has expired. Try the one your app shows now.")
WAIT_MESSAGE = gettext_lazy(
    "Too many wrong codes in a row. Please wait a few seconds, then try the code shown then."
)
PASSWORD_HELP = gettext_lazy(
    "At least 12 characters, not a common password, not only digits, and not like your "
    "email address."
)
# An owner's invitations a day: each is an email to an address they typed.
INVITATIONS_A_DAY = 10


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request):
    if current_member(request) is not None:
        return redirect("members:home")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = form.cleaned_data["email"]
        # Both limits count every address typed, member or not, so being limited says
        # nothing about who has an account.
        by_client = over_rate_limit(
            request, rate_setting="MEMBER_SIGN_IN_RATE_LIMIT", group="member-sign-in"
        )
        by_address = address_rate_limited(
            request,
            email,
            rate=settings.MEMBER_SIGN_IN_ADDRESS_RATE_LIMIT,
            group="member-sign-in-address",
        )
        if by_client or by_address:
            return render(request, "members/sign_in_limited.html", status=429)
        ask_for_link(email)
        request.session[SESSION_ASKED] = normalise_email(email)
        return redirect("members:sign-in-sent")
    return render(
        request,
        "members/sign_in.html",
        {"form": form, "password_form": PasswordSignInForm()},
        status=400 if form.is_bound else 200,
    )


@private_page
@require_http_methods(["GET", "HEAD"])
def sign_in_sent(request):
    email = request.session.get(SESSION_ASKED)
    if not email:
        return redirect("members:sign-in")
    return render(
        request,
        "members/sign_in_sent.html",
        {"email": email, "minutes": settings.MEMBER_SIGN_IN_LINK_MINUTES},
    )


def _link(token: str) -> SignInLink | None:
    link_id = link_id_from(token)
    if link_id is None:
        return None
    return SignInLink.objects.select_related("clinic").filter(pk=link_id).first()


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def use_sign_in_link(request, token: str):
    link = _link(token)
    if link is None or not link.is_usable():
        return render(request, "members/link_expired.html", status=410)
    if request.method == "POST":
        try:
            user, clinic = use_link(link.pk)
        except SignInRefused as refusal:
            return render(
                request, "members/link_refused.html", {"reason": str(refusal)}, status=403
            )
        if not security.finish_or_ask_code(request, user, clinic.pk):
            return redirect("members:code")
        return _signed_in(request, clinic.pk)
    return render(request, "members/use_link.html", {"link": link})


# An address of the clinic account: English's, or under a language's prefix.
ACCOUNT_PATH = re.compile(r"^(/[a-z]{2})?/clinic-account/")


def _signed_in(request, clinic_id: int):
    """After the last step of signing in: the clinic to show, and the page asked for."""
    wanted = request.session.pop(SESSION_NEXT, "")
    request.session[SESSION_CLINIC] = clinic_id
    # Only an account page of this site, in any language (stored by members/access.py).
    if ACCOUNT_PATH.match(wanted) and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
        return redirect(wanted)
    return redirect("members:home")


@private_page
@require_POST
def password_sign_in(request):
    """The sign-in page's second form, for members who set a password."""
    form = PasswordSignInForm(request.POST)
    error = ""
    if form.is_valid():
        if over_rate_limit(
            request, rate_setting="MEMBER_SIGN_IN_RATE_LIMIT", group="member-password"
        ):
            return render(request, "members/sign_in_limited.html", status=429)
        email = normalise_email(form.cleaned_data["email"])
        user = User.objects.filter(email__iexact=email, is_staff=False).first()
        # Axes counts failures for (this name, this connection) and locks the pair.
        authed = authenticate(
            request,
            username=user.get_username() if user else email,
            password=form.cleaned_data["password"],
        )
        membership = ClinicMember.objects.active().filter(user=authed).first() if authed else None
        if getattr(request, "axes_locked_out", False):
            error = _(
                "Too many wrong passwords for this address from here. Please wait an hour, "
                "or sign in with an emailed link."
            )
        elif membership is None:
            # The same words whether the address has an account or not.
            error = _(
                "That email address and password don’t match a clinic account. Check them, "
                "or sign in with an emailed link."
            )
        else:
            if not security.finish_or_ask_code(request, authed, membership.clinic_id):
                return redirect("members:code")
            return _signed_in(request, membership.clinic_id)
    return render(
        request,
        "members/sign_in.html",
        {"form": SignInForm(), "password_form": form, "password_error": error},
        status=400,
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def code(request):
    """The second step for members with an authenticator app."""
    user, clinic_id = security.pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again: the step before the code has expired."))
        return redirect("members:sign-in")
    device = security.device_of(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and device is not None:
        allowed, _extra = device.verify_is_allowed()
        if not allowed:  # django-otp waits longer after each wrong code
            form.add_error("code", WAIT_MESSAGE)
        elif device.verify_token(form.cleaned_data["code"]):
            security.finish_with_code(request, user, device)
            return _signed_in(request, clinic_id)
        else:
            form.add_error("code", WRONG_CODE)
    return render(
        request, "members/code.html", {"form": form}, status=400 if form.is_bound else 200
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("members:sign-in")


@member_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    member = request.member
    others = (
        ClinicMember.objects.active()
        .filter(user=request.user)
        .exclude(pk=member.pk)
        .select_related("clinic")
    )
    return render(
        request,
        "members/home.html",
        {
            "member": member,
            "clinic": member.clinic,
            "other_clinics": list(others),
            "inbox_url": reverse("inbox:list"),
            "team": list(ClinicMember.objects.filter(clinic=member.clinic).select_related("user"))
            if member.is_owner
            else [],
            "language_form": EmailLanguageForm(instance=member.clinic) if member.is_owner else None,
        },
    )


@member_required(owner=True)
@require_POST
def email_language(request):
    """The owner chooses the language of every email to the clinic and its team."""
    clinic = request.member.clinic
    form = EmailLanguageForm(request.POST, instance=clinic)
    if form.is_valid():
        # Only this column: no page shows it, and a whole save redoes the listing's stored
        # figures (its covers, its city's count).
        Clinic.objects.filter(pk=clinic.pk).update(language=form.cleaned_data["language"])
        messages.success(request, _("Saved: our emails to your clinic are in this language now."))
    else:
        messages.error(request, _("Please choose one of the languages offered."))
    return redirect("members:home")


@member_required
@require_POST
def switch_clinic(request):
    """A person in more than one clinic picks which one the account pages show."""
    wanted = request.POST.get("clinic")
    membership = (
        ClinicMember.objects.active()
        .filter(user=request.user, clinic_id=wanted if str(wanted).isdigit() else 0)
        .first()
    )
    if membership is not None:
        request.session[SESSION_CLINIC] = membership.clinic_id
    return redirect("members:home")


@member_required(owner=True)
@require_http_methods(["GET", "HEAD", "POST"])
def team(request):
    """Who is in the clinic's account, inviting someone, and (from each row) removing them."""
    member = request.member
    if request.method == "POST" and "link_member" in request.POST:
        return _link_artist(request, member)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        sent_today = SignInLink.objects.filter(
            purpose=SignInLink.Purpose.INVITATION,
            clinic=member.clinic,
            created_at__gte=timezone.now() - timedelta(days=1),
        ).count()
        if ClinicMember.objects.filter(clinic=member.clinic, user__email__iexact=email).exists():
            form.add_error("email", _("This person is in the team already."))
        elif sent_today >= INVITATIONS_A_DAY:
            form.add_error(
                None,
                ngettext(
                    "Your clinic has sent %(count)d invitation in the last day. "
                    "Please try again tomorrow, or contact us.",
                    "Your clinic has sent %(count)d invitations in the last day. "
                    "Please try again tomorrow, or contact us.",
                    INVITATIONS_A_DAY,
                )
                % {"count": INVITATIONS_A_DAY},
            )
        else:
            try:
                invite(member.clinic, email, form.cleaned_data["role"], by=request.user)
            except SignInRefused as refusal:
                form.add_error("email", str(refusal))
            else:
                messages.success(request, _("Invitation emailed to %(email)s.") % {"email": email})
                return redirect("members:team")
    return render(
        request,
        "members/team.html",
        {
            "member": member,
            "form": form,
            "team": list(
                ClinicMember.objects.filter(clinic=member.clinic).select_related("user", "artist")
            ),
            "artists": list(Artist.objects.filter(clinic=member.clinic)),
            "account_section": "team",
        },
        status=400 if form.is_bound else 200,
    )


def _link_artist(request, member):
    """Which artist on the listing a member is (what they edit as an artist member)."""
    value = request.POST.get("link_member", "")
    person = get_object_or_404(
        ClinicMember, pk=int(value) if value.isdigit() else 0, clinic=member.clinic
    )
    wanted = request.POST.get("artist", "")
    artist = (
        get_object_or_404(Artist, pk=wanted, clinic=member.clinic) if wanted.isdigit() else None
    )
    person.artist = artist
    person.save(update_fields=["artist"])
    messages.success(request, _("Saved."))
    return redirect("members:team")


@member_required(owner=True)
@require_http_methods(["GET", "HEAD", "POST"])
def remove_member(request, member_id: int):
    """Ask first, then remove: the person's access ends at their next page."""
    member = request.member
    leaving = get_object_or_404(
        ClinicMember.objects.select_related("user"), pk=member_id, clinic=member.clinic
    )
    owners = ClinicMember.objects.filter(clinic=member.clinic, role=ClinicMember.Role.OWNER)
    last_owner = leaving.is_owner and owners.count() == 1
    if request.method == "POST" and not last_owner:
        leaving.delete()
        messages.success(
            request,
            _("%(email)s can no longer sign in to %(clinic)s.")
            % {"email": leaving.user.email, "clinic": member.clinic.name},
        )
        if leaving.pk == member.pk:
            return redirect("members:sign-in")
        return redirect("members:team")
    return render(
        request,
        "members/remove_member.html",
        {"member": member, "leaving": leaving, "last_owner": last_owner, "account_section": "team"},
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def security_settings(request):
    """The member's optional password and authenticator app."""
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    password_form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    password_form = password_form_class(user, request.POST if action == "password" else None)
    # Django's help is an HTML list; the page's field help is one plain sentence.
    password_form.fields["new_password1"].help_text = PASSWORD_HELP
    code_form = CodeForm(request.POST if action in ("confirm", "remove") else None)
    device = security.device_of(user)
    new_device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()

    if action == "password" and password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Password saved: you can sign in with it, or with a link."))
        return redirect("members:security")
    if action == "start" and device is None:
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        return redirect("members:security")
    if action == "confirm" and new_device is not None and code_form.is_valid():
        allowed, _extra = new_device.verify_is_allowed()
        if not allowed:  # django-otp waits longer after each wrong code
            code_form.add_error("code", WAIT_MESSAGE)
        elif new_device.verify_token(code_form.cleaned_data["code"]):
            new_device.confirmed = True
            new_device.save(update_fields=["confirmed"])
            otp_login(request, new_device)  # this session has just given a code
            messages.success(
                request, _("Authenticator added: signing in now asks for its code too.")
            )
            return redirect("members:security")
        else:
            code_form.add_error("code", WRONG_CODE)
    if action == "remove" and device is not None and code_form.is_valid():
        allowed, _extra = device.verify_is_allowed()
        if not allowed:
            code_form.add_error("code", WAIT_MESSAGE)
        elif device.verify_token(code_form.cleaned_data["code"]):
            device.delete()
            messages.success(
                request, _("Authenticator removed: signing in no longer asks for a code.")
            )
            return redirect("members:security")
        code_form.add_error("code", _("That code is not right. Try the one your app shows now."))
    setup = None
    if device is None and new_device is not None:
        setup = {
            "qr": security.qr_svg(new_device.config_url),
            "key": security.secret_text(new_device),
        }
    return render(
        request,
        "members/security.html",
        {
            "member": request.member,
            "password_form": password_form,
            "code_form": code_form,
            "device": device,
            "setup": setup,
            "action": action,
            "account_section": "security",
        },
        status=400 if action else 200,
    )
