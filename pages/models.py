"""Site-wide pages staff edit (about, privacy, terms...) and messages sent through /contact/."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.markdown import render_markdown
from common.languages import CODES, DEFAULT, TranslatedText, language_field, localized
from common.validators import validate_plain_email
from outbox.models import OutgoingEmail, OutgoingEmailQuerySet


class SitePage(TranslatedText, models.Model):
    """A page that says who runs the site and what it does with people's data.

    Each exists from the first migrate (pages/content/*.md, written for this project as a
    starting point); staff adapt the text in admin. The slug fixes the page's address.
    """

    class Slug(models.TextChoices):
        ABOUT = "about", "About us"
        APPROVAL = "how-we-approve-clinics", "How we approve clinics"
        PRIVACY = "privacy", "Privacy policy"
        TERMS = "terms", "Terms for clients"
        LISTING_TERMS = "listing-terms", "Listing terms for clinics"

    slug = models.SlugField(max_length=40, unique=True, choices=Slug)
    title = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=240, help_text="One sentence: the page's description for search engines."
    )
    body = models.TextField(help_text="Markdown. Start sections with ## headings.")
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    TRANSLATED_TEXT = ("title", "summary", "body")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        for code in CODES:
            body = getattr(self, localized("body", code))
            setattr(
                self, localized("body_html", code), render_markdown(body).html if body else None
            )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "body_html",
                *(localized("body_html", code) for code in CODES),
            }
        with translation.override(DEFAULT):  # the English text in the untranslated columns
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(f"pages:{self.slug}")

    def clean(self):
        errors = self.translation_errors()
        if errors:
            raise ValidationError(errors)


class ContactMessage(models.Model):
    """A message to staff from /contact/. Staff read it in admin and by email."""

    class Topic(models.TextChoices):
        # Labels the contact form offers to visitors.
        QUOTE = "quote", _("A quote request I sent")
        LISTING = "listing", _("A clinic listing")
        PRIVACY = "privacy", _("My data: a copy, a correction or erasing it")
        OTHER = "other", _("Something else")

    name = models.CharField(max_length=120)
    email = models.EmailField(validators=[validate_plain_email])
    topic = models.CharField(max_length=10, choices=Topic, default=Topic.OTHER)
    reference = models.CharField(max_length=16, blank=True, help_text="A quote reference.")
    message = models.TextField(max_length=2000)
    # The one the sender wrote in: their receipt is written in it.
    language = language_field()
    # Why the spam checks wanted a human to look (empty: nothing looked odd).
    check_reason = models.CharField(max_length=40, blank=True)
    # Past a limit (many messages from one connection, or naming one address), the sender
    # is sent no receipt: the address may be a stranger's.
    receipt_withheld = models.BooleanField(default=False, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    # One per shown form: the same form posted twice is one message.
    form_nonce = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} from {self.name}"

    def send_emails(self) -> None:
        """One notice per staff address (Reply-To the sender), and a receipt to the sender
        unless it was withheld."""
        staff = list(settings.CONTACT_EMAILS or settings.STAFF_NOTIFICATION_EMAILS)
        rows = [ContactEmail(message=self, kind=ContactEmail.Kind.STAFF, to_email=a) for a in staff]
        if not self.receipt_withheld:
            receipt = ContactEmail.Kind.RECEIPT
            rows.append(ContactEmail(message=self, kind=receipt, to_email=self.email))
        with transaction.atomic():
            ContactEmail.objects.bulk_create(rows, ignore_conflicts=True)
            self.emails.all().enqueue()


ContactEmailManager = models.Manager.from_queryset(OutgoingEmailQuerySet)


class ContactEmail(OutgoingEmail):
    class Kind(models.TextChoices):
        STAFF = "staff", "The message, to staff"
        RECEIPT = "receipt", "Receipt, to the sender"

    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=12, choices=Kind)

    sending_related = ("message",)
    objects = ContactEmailManager()

    def reader_language(self) -> str:
        if self.kind == self.Kind.RECEIPT:
            return self.message.language
        return super().reader_language()

    class Meta(OutgoingEmail.Meta):
        constraints = [
            # Each address hears about a message once.
            models.UniqueConstraint(
                fields=["message", "kind", "to_email"], name="pages_contact_email_once"
            ),
        ]
