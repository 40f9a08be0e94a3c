"""The admin index's note of emails that failed for good, with a button that sends them
all again (outbox.views.resend_all_failed)."""

from django import template

from ..views import failed_by_table

register = template.Library()


@register.inclusion_tag("admin/outbox/includes/failed_emails.html", takes_context=True)
def failed_emails(context) -> dict:
    tables = failed_by_table(context["request"].user)
    return {
        "tables": [
            (
                model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural,
                model._meta.app_label,
                model._meta.model_name,
                count,
            )
            for model, count in tables
        ],
        "total": sum(count for _, count in tables),
    }
