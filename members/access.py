"""Who is signed in as a clinic member, checked on every page of the clinic account.

A session alone is not enough: the membership row must still exist and its clinic
must still be approved, so removing a member or suspending a clinic ends their access
at the next request.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_otp import user_has_device

from common.decorators import private_page

from .models import ClinicMember

SESSION_CLINIC = "member_clinic_id"
# The account page someone asked for before signing in (an emailed link to a request):
# where the sign-in link takes them, in the same browser.
SESSION_NEXT = "member_next"


def current_member(request) -> ClinicMember | None:
    """The membership this request acts as, or None (not signed in, or no longer a member)."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = list(
        ClinicMember.objects.active().filter(user=user).select_related("clinic__city", "user")
    )
    if not memberships:
        return None
    chosen = request.session.get(SESSION_CLINIC)
    for membership in memberships:
        if membership.clinic_id == chosen:
            return membership
    return memberships[0]


def _second_factor_given(user) -> bool:
    """A member with an authenticator app gave its code this session (signing in asks
    for it before anything else: members/security.py); a session from before they added
    one is ended."""
    return user.is_verified() or not user_has_device(user)


def member_required(view=None, *, owner: bool = False):
    """The view gets `request.member`; anyone else goes to the sign-in page.

    A signed-in person whose membership is gone (removed, clinic suspended) is signed
    out and told why. With owner=True an artist member gets a 403 page.
    """

    def decorate(view):
        @private_page
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            member = current_member(request)
            if member is not None and not _second_factor_given(request.user):
                member = None
            if member is None:
                if request.user.is_authenticated and not request.user.is_staff:
                    logout(request)
                    messages.info(
                        request,
                        _(
                            "You are signed out: your access to the clinic account has ended. "
                            "If that is a mistake, ask your clinic's owner or contact us."
                        ),
                    )
                if request.method == "GET":
                    request.session[SESSION_NEXT] = request.path
                return redirect("members:sign-in")
            if owner and not member.is_owner:
                raise PermissionDenied("Only the clinic's owner can do this.")
            request.member = member
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
