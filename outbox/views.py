"""Staff send every failed email again in one step (the admin index's button)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import sending
from .admin import resending_message
from .models import OutgoingEmail


def _tables_for(user) -> list[type[OutgoingEmail]]:
    """The email tables this staff member may see in the admin."""
    return [
        model
        for model in sending.outgoing_models()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]


def failed_by_table(user) -> list[tuple[type[OutgoingEmail], int]]:
    """Each email table this staff member may see with its rows failed for good, where
    there are any: one COUNT per table."""
    counts = [
        (model, model.rows().filter(status=OutgoingEmail.Status.FAILED).count())
        for model in _tables_for(user)
    ]
    return [(model, count) for model, count in counts if count]


@require_POST
def resend_all_failed(request):
    """Every failed row of every table the member may see goes out again, once each
    (the same step as each table's "Resend" action). Wrapped by the admin site."""
    count = sum(
        sending.resend(model.rows().filter(status=OutgoingEmail.Status.FAILED))
        for model in _tables_for(request.user)
    )
    messages.success(request, resending_message(count))
    return redirect("admin:index")
