"""Signing in to a clinic account, and its home page.

Pages here are private (never cached, never indexed). The sign-in form says the same
whatever address is typed; a link opens a page with one button, and only the POST of
that button signs in (mail scanners open links; GET never writes).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from common.decorators import address_rate_limited, over_rate_limit, private_page

from .access import SESSION_CLINIC, SESSION_NEXT, current_member, member_required
from .forms import InviteForm, SignInForm
from .links import link_id_from
from .models import ClinicMember, SignInLink, normalise_email
from .signin import SignInRefused, ask_for_link, invite, use_link

SESSION_ASKED = "member_sign_in_asked"
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
        {"form": form},
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
        wanted = request.session.get(SESSION_NEXT, "")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_CLINIC] = clinic.pk
        request.session.pop(SESSION_NEXT, None)
        # Only an account page of this site (the path was stored by members/access.py).
        if wanted.startswith("/clinic-account/") and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts=None
        ):
            return redirect(wanted)
        return redirect("members:home")
    return render(request, "members/use_link.html", {"link": link})


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "You are signed out.")
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
        },
    )


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
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        sent_today = SignInLink.objects.filter(
            purpose=SignInLink.Purpose.INVITATION,
            clinic=member.clinic,
            created_at__gte=timezone.now() - timedelta(days=1),
        ).count()
        if ClinicMember.objects.filter(clinic=member.clinic, user__email__iexact=email).exists():
            form.add_error("email", "This person is in the team already.")
        elif sent_today >= INVITATIONS_A_DAY:
            form.add_error(
                None,
                f"Your clinic has sent {INVITATIONS_A_DAY} invitations in the last day. "
                "Please try again tomorrow, or contact us.",
            )
        else:
            try:
                invite(member.clinic, email, form.cleaned_data["role"], by=request.user)
            except SignInRefused as refusal:
                form.add_error("email", str(refusal))
            else:
                messages.success(request, f"Invitation emailed to {email}.")
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
            "account_section": "team",
        },
        status=400 if form.is_bound else 200,
    )


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
            request, f"{leaving.user.email} can no longer sign in to {member.clinic.name}."
        )
        if leaving.pk == member.pk:
            return redirect("members:sign-in")
        return redirect("members:team")
    return render(
        request,
        "members/remove_member.html",
        {"member": member, "leaving": leaving, "last_owner": last_owner, "account_section": "team"},
    )
