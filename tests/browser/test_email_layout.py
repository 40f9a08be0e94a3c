"""Every kind of email the site sends, opened as its HTML part on a 375 px phone."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications.models import ApplicationEmail, ClinicApplication
from clinics.models import Clinic
from conversations.models import Conversation, Message, MessageEmail, RefusalEmail
from credentials.models import Credential, CredentialEmail
from listing_changes.models import DecisionEmail, ListingChange
from members.models import MemberEmail, SignInLink
from outbox.compose import compose
from outbox.kinds import KINDS
from quotes.models import QuoteDelivery, QuoteReply, QuoteRequest
from reviews.models import Review, ReviewEmail, ReviewInvite
from tests.factories import CityFactory, ClinicFactory
from tests.quotes.support import make_quote
from tests.training.factories import EventFactory, TrainingClassFactory
from training.models import Enquiry, EnquiryEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Long unbroken words, as people really type them, must wrap rather than widen the page.
LONG_NAME = "Hairline-and-density-restoration-studio-of-the-north-west"
LONG_ADDRESS = "appointments.and.questions.for.our.studio@a-very-long-clinic-domain.example"


@pytest.fixture
def one_of_each_kind(settings):
    """One delivery row of every registered kind, with long names and addresses."""
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    from pages.models import ContactEmail, ContactMessage

    city = CityFactory(name="Newcastle upon Tyne")
    clinic = ClinicFactory(city=city, name=LONG_NAME, quote_email=LONG_ADDRESS)
    quote = make_quote(city, clinic=clinic, mode="single", photos=2, message="Crown " * 80)
    quote.photos.update(sanitised=True)
    artist = QuoteDelivery.objects.create(
        quote=quote, kind="artist", clinic=clinic, to_email=LONG_ADDRESS
    )
    QuoteReply.objects.create(
        delivery=artist, currency="GBP", price_min=1200, price_max=1800, chosen_at=quote.created_at
    )
    rows = [artist] + [
        QuoteDelivery.objects.create(
            quote=quote,
            kind=kind,
            clinic=clinic if kind in ("chosen", "closed", "reminder") else None,
            to_email=LONG_ADDRESS if kind in ("chosen", "closed", "reminder") else quote.email,
        )
        for kind in QuoteDelivery.Kind.values
        if kind != "artist"
    ]
    application = ClinicApplication.objects.create(
        clinic=ClinicFactory(city=city, name=LONG_NAME + " two", status="pending"),
        contact_name="Kim Owner",
        contact_email=LONG_ADDRESS,
        form_nonce="nonce",
        rejection_reason="We could not check the photos: " + "x" * 120,
    )
    rows += [
        ApplicationEmail.objects.create(application=application, kind=kind, to_email=LONG_ADDRESS)
        for kind in ApplicationEmail.Kind.values
    ]
    message = ContactMessage.objects.create(
        name="Kim", email=LONG_ADDRESS, message="Word " * 300, form_nonce="contact"
    )
    rows += [
        ContactEmail.objects.create(message=message, kind=kind, to_email=LONG_ADDRESS)
        for kind in ContactEmail.Kind.values
    ]
    enquiry = Enquiry.objects.create(
        training_class=TrainingClassFactory(
            title="Advanced-scar-camouflage-and-hairline-design-masterclass",
            event=EventFactory(organiser_name=LONG_NAME, organiser_email=LONG_ADDRESS),
        ),
        name="Kim Artist",
        email=LONG_ADDRESS,
        clinic_name=LONG_NAME,
        experience="1-3",
        message="Colour " * 200,
        submission_key="layout",
    )
    rows += [
        EnquiryEmail.objects.create(enquiry=enquiry, kind=kind, to_email=LONG_ADDRESS)
        for kind in EnquiryEmail.Kind.values
    ]
    credential = Credential.objects.create(
        clinic=clinic,
        kind="licence",
        title="Tattooing-and-micropigmentation-premises-licence",
        issuer=LONG_NAME,
        expires_on=date(2030, 1, 31),
    )
    rows.append(
        CredentialEmail.objects.create(
            credential=credential,
            kind="expiring",
            expires_on=date(2030, 1, 31),
            to_email=LONG_ADDRESS,
        )
    )
    invite = ReviewInvite.objects.create(
        quote=quote,
        clinic=clinic,
        stage="healed",
        asked_at=quote.created_at,
        chosen_at=quote.created_at,
        quoted_price="£1,200–£1,800",
        currency="GBP",
        email=LONG_ADDRESS,
    )
    review = Review.objects.create(
        invite=invite,
        clinic=clinic,
        rating=4,
        result_rating=4,
        communication_rating=4,
        value_rating=4,
        text="Natural " * 200,
        display_name="Kim-Alexandra-Montgomery-Smythe",
        status="rejected",
        rejection_reason="off_topic",
    )
    rows += [
        ReviewEmail.objects.create(invite=invite, review=review, kind=kind, to_email=LONG_ADDRESS)
        for kind in ReviewEmail.Kind.values
    ]
    follow_up = ReviewInvite.objects.create(
        quote=quote,
        clinic=clinic,
        stage="held_up",
        asked_at=quote.created_at,
        chosen_at=quote.created_at,
        email=LONG_ADDRESS,
    )
    rows.append(ReviewEmail.objects.create(invite=follow_up, kind="invite", to_email=LONG_ADDRESS))
    owner = get_user_model().objects.create(username="long-owner", email=LONG_ADDRESS)
    links = [
        SignInLink.objects.create(
            purpose=purpose,
            email=LONG_ADDRESS,
            user=owner,
            clinic=clinic,
            role="owner",
            expires_at=timezone.now() + timedelta(days=1),
        )
        for purpose in MemberEmail.Kind.values
    ]
    rows += [
        MemberEmail.objects.create(link=link, kind=link.purpose, to_email=LONG_ADDRESS)
        for link in links
    ]
    change = ListingChange.objects.create(
        clinic=clinic,
        changes={"description": {"label": "Description", "before": "", "after": "New " * 50}},
        status=ListingChange.Status.SENT_BACK,
        reason="Please-remove-the-before-and-after-claims-we-cannot-check " * 3,
    )
    rows += [
        DecisionEmail.objects.create(change=change, kind=kind, to_email=LONG_ADDRESS)
        for kind in DecisionEmail.Kind.values
    ]
    conversation = Conversation.objects.for_delivery(artist)
    message = Message.objects.create(
        conversation=conversation, side="artist", body="Could-you-send-a-photo-in-daylight? " * 20
    )
    rows += [
        MessageEmail.objects.create(message=message, kind=kind, to_email=LONG_ADDRESS)
        for kind in MessageEmail.Kind.values
    ]
    rows.append(
        RefusalEmail.objects.create(
            to_email=LONG_ADDRESS, reason="unknown_sender", inbound_id="mailgun:layout"
        )
    )
    return rows


@pytest.mark.parametrize("language", ["en-gb", "de", "es", "fr"])
def test_every_email_kind_reads_on_a_phone_without_sideways_scrolling(
    page, one_of_each_kind, language
):
    # Every reader in one language (German's long words above all); staff's stay English.
    from conversations.models import RefusalEmail
    from pages.models import ContactMessage

    for model in (QuoteRequest, Clinic, ContactMessage, Enquiry, RefusalEmail):
        model.objects.update(language=language)
    rendered, languages = set(), set()
    page.set_viewport_size({"width": 375, "height": 800})
    for row in one_of_each_kind:
        row.refresh_from_db()
        message = compose(row)
        html = message.alternatives[0][0]
        assert 'name="viewport"' in html
        assert message.body.strip(), f"{row.kind}: no plain-text part"
        page.set_content(html)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{row._meta.label} {row.kind} is {width}px wide on a 375px phone"
        assert page.get_by_role("link", name="SMP Clinic Finder").first.is_visible()
        languages.add(page.locator("html").get_attribute("lang"))
        rendered.add((row._meta.label_lower, row.kind))
    assert rendered == set(KINDS), "a registered email kind was not checked"
    # The readers' emails in their language, staff's in English.
    assert languages == {language[:2], "en"}
