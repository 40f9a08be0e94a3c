"""Clients who really chose a clinic, their invitations and reviews, as the site makes them."""

import re
from datetime import timedelta

from django.utils import timezone

from quotes import pipeline
from quotes.models import QuoteReply, QuoteRequest
from reviews.invites import send_review_invites
from reviews.models import Review, ReviewInvite
from tests.quotes.support import form_token, make_quote

INVITE_DAYS = 90


def chosen_request(clinic, *, name="Sam Client", email="sam@client.example", price=1500):
    """A request sent to `clinic` alone, answered with a price, and the clinic chosen."""
    quote = make_quote(clinic.city, clinic=clinic, mode="single", photos=0)
    QuoteRequest.objects.filter(pk=quote.pk).update(name=name, email=email)
    pipeline.process_quote(quote.pk)
    delivery = quote.deliveries.get(kind="artist", clinic=clinic)
    reply = QuoteReply.objects.save_answer(
        delivery,
        {
            "declined": False,
            "price_min": price,
            "price_max": price,
            "price_type": "fixed",
            "includes": "",
            "message": "Happy to help.",
        },
        changed_by="the test's reply link",
    )
    quote.refresh_from_db()
    assert quote.choose(reply)
    return quote


def invited(clinic, **kwargs) -> ReviewInvite:
    """A chosen request whose healed-stage invitation has gone out (the clock moved on)."""
    quote = chosen_request(clinic, **kwargs)
    send_review_invites(now=timezone.now() + timedelta(days=INVITE_DAYS))
    return ReviewInvite.objects.get(quote=quote, stage=ReviewInvite.Stage.HEALED)


def link_in(message, path: str) -> str:
    """The site path of the first link to `path` in an email's text."""
    match = re.search(r"http://testserver(" + re.escape(path) + r"[^\s\"<]*)", message.body)
    assert match, f"no {path} link in: {message.body}"
    return match.group(1).replace("&amp;", "&")


def review_data(**overrides) -> dict:
    data = {
        "rating": "4",
        "result_rating": "5",
        "communication_rating": "4",
        "value_rating": "3",
        "price_match": "yes",
        "final_price": "1500",
        "text": "The hairline looks natural once healed, and the artist explained every step.",
        "display_name": "Sam C.",
        "truthful": "on",
        "leave_blank": "",
        "form_token": form_token(),
    }
    data.update(overrides)
    return data


def published_review(clinic, *, rating=4, user=None, **kwargs) -> Review:
    """An invitation, a review written through it, and staff's approval."""
    price_match = kwargs.pop("price_match", Review.PriceMatch.YES)
    invite = invited(clinic, **kwargs)
    review = Review.objects.create(
        invite=invite,
        clinic=clinic,
        rating=rating,
        result_rating=rating,
        communication_rating=rating,
        value_rating=rating,
        price_match=price_match,
        text="A sample review long enough to pass the form's forty-character minimum.",
        display_name=kwargs.get("name", "Sam Client").split()[0],
    )
    assert review.publish(user)
    review.refresh_from_db()
    return review
