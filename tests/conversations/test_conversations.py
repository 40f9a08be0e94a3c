"""Issue #29: a client talks with the artists they asked without giving their address
away. Artists know the client by first name and write through the site; replies by email
come back through a relay address; contact details reach an artist only when the client
chooses it or shares them."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conversations import relay
from conversations.links import artist_thread_path, client_thread_path
from conversations.models import Conversation, Message, MessageEmail, MessagePhoto, RefusalEmail
from quotes.links import compare_path, reply_path
from quotes.models import QuoteReply
from tests import images
from tests.members.support import member_of, sign_in
from tests.quotes.support import stored_files

from .support import (
    CLIENT,
    INBOUND_URL,
    PHONE,
    RELAY_DOMAIN,
    emails_to,
    everything_sent_to,
    reply_payload,
    signed,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_as_in_production")]

ARTIST_ADDRESSES = ("aire@clinics.example", "briggate@clinics.example", "calls@clinics.example")


def _artist_writes(client, delivery, text: str):
    return client.post(artist_thread_path(delivery.pk), {"body": text})


def _client_writes(client, quote, delivery, text: str, **fields):
    return client.post(client_thread_path(quote.pk, delivery.pk), {"body": text, **fields})


def _relay_of(message) -> str:
    (address,) = message.reply_to
    assert address.startswith("reply+") and address.endswith(f"@{RELAY_DOMAIN}")
    return address


def test_artists_see_a_first_name_and_write_through_the_site(client, asked):
    quote, _clinics, deliveries = asked
    for address in ARTIST_ADDRESSES:
        (request_email,) = emails_to(address)
        _relay_of(request_email)  # a reply goes into the thread, not to the client
        text = everything_sent_to(address)
        assert "Sam" in text
        assert CLIENT not in text and PHONE not in text and "Sam Client" not in text
    page = client.get(reply_path(deliveries["Aire Ink"].pk)).content.decode()
    assert CLIENT not in page and PHONE not in page and "Sam Client" not in page
    assert "Messages with Sam" in page


def test_a_question_by_the_artist_an_answer_by_email_and_the_choice(client, asked, inbound_webhook):
    quote, _clinics, deliveries = asked
    aire = deliveries["Aire Ink"]
    mail.outbox.clear()
    response = _artist_writes(client, aire, "Do you have a photo of the crown in daylight?")
    assert response.status_code == 302
    (question,) = emails_to(CLIENT)
    assert "Do you have a photo of the crown in daylight?" in question.body
    assert "Aire Ink" in question.subject
    relay_address = _relay_of(question)

    reply = (
        "Yes, I can send one tomorrow.\n\nSam\n\n"
        "On Mon, 7 Dec 2026, Aire Ink wrote:\n> Do you have a photo?"
    )
    response = client.post(INBOUND_URL, signed(reply_payload(relay_address, CLIENT, reply)))
    assert response.status_code == 200
    (answer,) = Message.objects.filter(side="client")
    assert answer.body.startswith("Yes, I can send one tomorrow.")
    assert "wrote:" not in answer.body and answer.via == "email"
    (to_artist,) = emails_to("aire@clinics.example")[-1:]
    assert "Yes, I can send one tomorrow." in to_artist.body
    _relay_of(to_artist)
    thread = client.get(artist_thread_path(aire.pk)).content.decode()
    assert "Yes, I can send one tomorrow." in thread
    for address in ARTIST_ADDRESSES:  # never the client's address, in any email
        assert CLIENT not in everything_sent_to(address)
        assert PHONE not in everything_sent_to(address)
    assert CLIENT not in thread and PHONE not in thread

    # The client chooses Aire Ink: it sees the contact details from then on.
    for delivery in deliveries.values():
        QuoteReply.objects.create(delivery=delivery, currency="GBP", price_min=1200, price_max=1500)
    quote.choose(QuoteReply.objects.get(delivery=aire))
    for page in (
        client.get(reply_path(aire.pk)).content.decode(),
        client.get(artist_thread_path(aire.pk)).content.decode(),
    ):
        assert CLIENT in page and PHONE in page and "Sam Client" in page
    other = client.get(reply_path(deliveries["Briggate SMP"].pk)).content.decode()
    assert CLIENT not in other and PHONE not in other


def test_sharing_the_details_in_the_thread_shows_them_to_that_artist_only(client, asked):
    quote, _clinics, deliveries = asked
    response = _client_writes(
        client, quote, deliveries["Briggate SMP"], "Call me after six.", share_contact="on"
    )
    assert response.status_code == 302
    shared = client.get(artist_thread_path(deliveries["Briggate SMP"].pk)).content.decode()
    assert CLIENT in shared and PHONE in shared
    assert "Sam Client shared their email address and phone" in shared
    hidden = client.get(artist_thread_path(deliveries["Calls Studio"].pk)).content.decode()
    assert CLIENT not in hidden and PHONE not in hidden


def test_looking_at_a_thread_writes_nothing(client, asked):
    quote, _clinics, deliveries = asked
    before = Conversation.objects.count()  # one per artist, made for its request's email
    page = client.get(client_thread_path(quote.pk, deliveries["Aire Ink"].pk))
    assert page.status_code == 200 and "No messages yet." in page.content.decode()
    page = client.get(artist_thread_path(deliveries["Aire Ink"].pk))
    assert page.status_code == 200 and "No messages yet." in page.content.decode()
    assert Conversation.objects.count() == before and not Message.objects.exists()


def test_a_forged_or_unsigned_or_replayed_payload_changes_nothing(client, asked, inbound_webhook):
    quote, _clinics, deliveries = asked
    _client_writes(client, quote, deliveries["Aire Ink"], "Hello there.")
    conversation = Conversation.objects.get(delivery=deliveries["Aire Ink"])
    payload = reply_payload(relay.artist_address(conversation), "aire@clinics.example", "Hi!")
    assert client.post(INBOUND_URL, signed(payload, key="not-the-key")).status_code == 400
    assert client.post(INBOUND_URL, payload).status_code == 400
    old = int((timezone.now() - timedelta(hours=2)).timestamp())
    assert client.post(INBOUND_URL, signed(payload, timestamp=old)).status_code == 200
    assert Message.objects.count() == 1 and not RefusalEmail.objects.exists()
    # The same event twice: one message, one email to the client.
    mail.outbox.clear()
    event = signed(payload)
    assert client.post(INBOUND_URL, event).status_code == 200
    assert client.post(INBOUND_URL, event).status_code == 200
    assert Message.objects.filter(side="artist").count() == 1
    assert len(emails_to(CLIENT)) == 1


@pytest.mark.parametrize(
    ("case", "refusal"),
    [
        ("stranger", "does not belong to this conversation"),
        ("removed_member", "does not belong to this conversation"),
        ("pdf", "It carried a file that is not a photo"),
        ("large", "It carried a photo we can’t use"),
        ("not_really_a_photo", "It carried a photo we can’t use"),
        ("closed", "The request it answers is closed"),
    ],
)
def test_a_reply_that_cannot_be_taken_gets_one_clear_answer(
    client, asked, inbound_webhook, case, refusal, private_dir
):
    quote, clinics, deliveries = asked
    _client_writes(client, quote, deliveries["Aire Ink"], "Hello there.")
    conversation = Conversation.objects.get(delivery=deliveries["Aire Ink"])
    sender, attachments = "aire@clinics.example", ()
    if case == "stranger":
        sender = "someone@else.example"
    if case == "removed_member":
        member = member_of(clinics[0], "left@aire.example")
        member.delete()
        sender = "left@aire.example"
    if case == "pdf":
        attachments = [("price-list.pdf", b"%PDF-1.4 price list", "application/pdf")]
    if case == "large":
        attachments = [("crown.jpg", b"\xff\xd8" + b"0" * (30 * 1024 * 1024), "image/jpeg")]
    if case == "not_really_a_photo":
        attachments = [("crown.jpg", b"<script>not a photo</script>", "image/jpeg")]
    if case == "closed":
        quote.close()
    mail.outbox.clear()
    payload = reply_payload(
        relay.artist_address(conversation), sender, "Our price is £1,400.", attachments=attachments
    )
    event = signed(payload)
    assert client.post(INBOUND_URL, event).status_code == 200
    assert not Message.objects.filter(side="artist").exists()
    (answer,) = mail.outbox
    assert answer.to == [sender] and refusal in answer.body
    assert client.post(INBOUND_URL, event).status_code == 200  # the same event again
    assert len(mail.outbox) == 1
    assert not MessagePhoto.objects.exists() and stored_files(private_dir / "messages") == []


def test_a_photo_by_email_is_sanitised_and_shown_to_both_sides_only(
    client, asked, inbound_webhook, private_dir
):
    quote, _clinics, deliveries = asked
    aire = deliveries["Aire Ink"]
    _artist_writes(client, aire, "Could you send a photo of the crown?")
    conversation = Conversation.objects.get(delivery=aire)
    photo = images.jpeg(exif=images.exif_with_gps_and_orientation(6))
    mail.outbox.clear()
    payload = reply_payload(
        relay.client_address(conversation),
        CLIENT,
        "Here it is.",
        attachments=[("IMG_2041.jpg", photo, "image/jpeg")],
    )
    assert client.post(INBOUND_URL, signed(payload)).status_code == 200
    (stored,) = MessagePhoto.objects.all()
    with stored.file.open("rb") as file:
        data = file.read()
    assert data != photo and b"GPS" not in data and b"Exif" not in data
    (note,) = emails_to("aire@clinics.example")
    assert "With 1 photo: open the conversation to see it." in note.body
    assert "/photo/" not in note.body  # never in an email
    artist_thread = artist_thread_path(aire.pk)
    assert f'{artist_thread}photo/{stored.pk}/"' in client.get(artist_thread).content.decode()
    seen = client.get(f"{artist_thread}photo/{stored.pk}/")
    assert seen.status_code == 200 and "no-store" in seen["Cache-Control"]
    mine = client.get(f"{client_thread_path(quote.pk, aire.pk)}photo/{stored.pk}/")
    assert mine.status_code == 200
    # Another artist's link does not open it, and nor does Aire's once another is chosen.
    other = artist_thread_path(deliveries["Calls Studio"].pk)
    assert client.get(f"{other}photo/{stored.pk}/").status_code == 404
    for delivery in deliveries.values():
        QuoteReply.objects.create(delivery=delivery, currency="GBP", price_min=1, price_max=2)
    quote.choose(QuoteReply.objects.get(delivery=deliveries["Calls Studio"]))
    assert client.get(f"{artist_thread}photo/{stored.pk}/").status_code == 404
    # Erasing the request deletes the file.
    name = stored.file.name
    quote.erase()
    assert not stored.file.storage.exists(name)


def test_erasing_the_request_erases_the_messages_and_its_addresses_bounce(
    client, asked, inbound_webhook
):
    quote, _clinics, deliveries = asked
    _client_writes(client, quote, deliveries["Aire Ink"], "Hello there.")
    address = relay.artist_address(Conversation.objects.get(delivery=deliveries["Aire Ink"]))
    quote.erase()
    assert not Conversation.objects.exists() and not Message.objects.exists()
    mail.outbox.clear()
    response = client.post(
        INBOUND_URL, signed(reply_payload(address, "aire@clinics.example", "Hi"))
    )
    assert response.status_code == 200
    (bounce,) = mail.outbox
    assert "The request it answers is closed" in bounce.body
    assert not Message.objects.exists()


def test_a_member_writes_from_the_inbox_and_reaches_only_its_own_requests(client, asked):
    quote, clinics, deliveries = asked
    member_of(clinics[0], "ana@aire.example")
    sign_in(client, "ana@aire.example")
    own = f"/clinic-account/requests/{deliveries['Aire Ink'].pk}/messages/"
    assert client.post(own, {"body": "When suits you?"}).status_code == 302
    assert Message.objects.get().author.email == "ana@aire.example"
    other = f"/clinic-account/requests/{deliveries['Calls Studio'].pk}/messages/"
    assert client.get(other).status_code == 404
    assert client.post(other, {"body": "Hello"}).status_code == 404
    assert Message.objects.count() == 1
    # Its reply link, opened while signed in, leads to the inbox's page.
    response = client.get(artist_thread_path(deliveries["Aire Ink"].pk))
    assert response.status_code == 302 and response["Location"].endswith(own)


def test_too_many_messages_in_an_hour_are_refused_and_the_text_kept(client, asked, settings):
    settings.MESSAGES_PER_CONVERSATION_HOUR = 2
    quote, _clinics, deliveries = asked
    for n in range(2):
        assert (
            _client_writes(client, quote, deliveries["Aire Ink"], f"Message {n}").status_code == 302
        )
    response = _client_writes(client, quote, deliveries["Aire Ink"], "One more question")
    assert response.status_code == 429
    html = response.content.decode()
    assert "please wait a little" in html and "One more question</textarea>" in html
    assert Message.objects.count() == 2


def test_a_reported_message_reaches_staff_once_with_its_thread(client, asked, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@smp.example"]
    quote, _clinics, deliveries = asked
    aire = deliveries["Aire Ink"]
    _client_writes(client, quote, aire, "Is the price per session?")
    _artist_writes(client, aire, "Pay in cash to this account: www.not-a-scam.example")
    message = Message.objects.get(side="artist")
    thread_path = client_thread_path(quote.pk, aire.pk)
    page = client.get(thread_path).content.decode()
    # Links in a message are text: no anchor is made of them.
    assert "www.not-a-scam.example" in page and 'href="http://www.not-a-scam.example' not in page
    report = f"{thread_path}report/{message.pk}/"
    assert f'href="{report}"' in page
    # Opening the link asks first and sends nothing.
    asked = client.get(report)
    question = asked.content.decode()
    assert asked.status_code == 200 and "Report this message to our staff?" in question
    assert "not-a-scam" in question and not emails_to("staff@smp.example")
    assert Message.objects.get(pk=message.pk).reported_at is None
    assert client.post(report).status_code == 302
    assert client.post(report).status_code == 302
    (staff,) = emails_to("staff@smp.example")
    assert "Is the price per session?" in staff.body and "not-a-scam" in staff.body
    assert "Reported to our staff." in client.get(thread_path).content.decode()
    # Its own message cannot be reported by the side that wrote it.
    own = Message.objects.get(side="client")
    assert client.post(f"{thread_path}report/{own.pk}/").status_code == 404


def test_staff_close_a_conversation_and_nothing_more_is_taken(client, asked, admin_client):
    quote, _clinics, deliveries = asked
    _client_writes(client, quote, deliveries["Aire Ink"], "Hello there.")
    conversation = Conversation.objects.get(delivery=deliveries["Aire Ink"])
    admin_client.post(
        "/admin/conversations/conversation/",
        {"action": "close_conversations", "_selected_action": [conversation.pk]},
    )
    response = _artist_writes(client, deliveries["Aire Ink"], "Hello back.")
    assert response.status_code == 409
    assert "Our staff closed this conversation" in response.content.decode()
    assert Message.objects.count() == 1


def test_a_suspended_clinics_message_is_not_delivered(client, asked):
    quote, clinics, deliveries = asked
    clinics[1].suspend()
    mail.outbox.clear()
    response = _artist_writes(client, deliveries["Briggate SMP"], "Still there?")
    assert response.status_code in (409, 410, 404)
    assert not Message.objects.exists() and not emails_to(CLIENT)


def test_each_side_hears_in_its_language(client, asked):
    quote, clinics, deliveries = asked
    quote.language = "de"
    quote.save(update_fields=["language"])
    clinics[0].language = "fr"
    clinics[0].save(update_fields=["language"])
    mail.outbox.clear()
    _artist_writes(client, deliveries["Aire Ink"], "Bonjour Sam.")
    (to_client,) = emails_to(CLIENT)
    assert "Aire Ink" in to_client.subject and "wrote to you" not in to_client.subject
    assert re.search(r"Antworten Sie auf diese E-Mail", to_client.body)
    _client_writes(client, quote, deliveries["Aire Ink"], "Guten Tag.")
    (to_artist,) = emails_to("aire@clinics.example")[-1:]
    assert "Répondez à cet e-mail" in to_artist.body
    assert MessageEmail.objects.count() == 2


def test_an_artist_not_chosen_no_longer_reads_the_clients_messages(client, asked):
    quote, _clinics, deliveries = asked
    briggate = deliveries["Briggate SMP"]
    _client_writes(client, quote, briggate, "My crown is thinning since 2019.")
    thread = artist_thread_path(briggate.pk)
    assert "My crown is thinning since 2019." in client.get(thread).content.decode()
    for delivery in deliveries.values():
        QuoteReply.objects.create(delivery=delivery, currency="GBP", price_min=1, price_max=2)
    quote.choose(QuoteReply.objects.get(delivery=deliveries["Aire Ink"]))
    page = client.get(thread).content.decode()
    assert "My crown is thinning since 2019." not in page
    assert "no longer shown here" in page and "<textarea" not in page
    # The client still reads their own conversation.
    own = client.get(client_thread_path(quote.pk, briggate.pk)).content.decode()
    assert "My crown is thinning since 2019." in own


def test_each_side_sees_whose_turn_it_is_on_its_page(client, asked):
    quote, _clinics, deliveries = asked
    aire, calls = deliveries["Aire Ink"], deliveries["Calls Studio"]
    _artist_writes(client, aire, "Could you send a photo of the crown?")
    compare = client.get(compare_path(quote.pk)).content.decode()
    assert compare.count("Their message waits for your answer") == 1
    assert "Messages (1)" in compare and "Write to Calls Studio" in compare
    _client_writes(client, quote, aire, "Tomorrow morning.")
    compare = client.get(compare_path(quote.pk)).content.decode()
    assert "Their message waits for your answer" not in compare and "Messages (2)" in compare
    reply_page = client.get(reply_path(aire.pk)).content.decode()
    assert "Sam wrote the newest message: it waits for your answer." in reply_page
    assert "Read the conversation (2 messages)" in reply_page
    other = client.get(reply_path(calls.pk)).content.decode()
    assert "waits for your answer" not in other and "Write to Sam" in other
