import re

from django.contrib.auth import get_user_model
from django.core import mail

from members.models import ClinicMember

LINK = re.compile(r"http://testserver(/clinic-account/sign-in/[^/\s]+/)")


def member_of(clinic, email="owner@studio.example", role=ClinicMember.Role.OWNER):
    # As members/signin.py makes them: no password until they set one.
    user = get_user_model()(username=f"m-{email}", email=email)
    user.set_unusable_password()
    user.save()
    return ClinicMember.objects.create(clinic=clinic, user=user, role=role)


def last_link(to: str) -> str:
    """The sign-in path in the newest email to this address."""
    for message in reversed(mail.outbox):
        if message.to == [to]:
            found = LINK.search(message.body)
            assert found, message.body
            return found.group(1)
    raise AssertionError(f"no email to {to}")


def sign_in(client, email: str) -> None:
    """Ask for a link on the form and use it, as a person would."""
    response = client.post("/clinic-account/sign-in/", {"email": email})
    assert response.status_code == 302
    response = client.post(last_link(email))
    assert response.status_code == 302 and response["Location"] == "/clinic-account/"
