"""System checks: every email table keeps the outbox's own columns, and (`check --deploy`)
emails leave the machine.

A concrete table's field can hide one of OutgoingEmail's without any error: a foreign key
called `message` takes the attribute `message_id`, so a field of that name on the base
would silently become the key. Sending reads and writes these columns on every table.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks

from .models import OutgoingEmail


@checks.register(checks.Tags.models)
def check_outbox_columns(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    base = {field.name: field for field in OutgoingEmail._meta.concrete_fields}
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not issubclass(model, OutgoingEmail):
            continue
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        attnames = {f.attname: f for f in model._meta.concrete_fields}
        for name, field in base.items():
            found = attnames.get(field.attname)
            if found is None or type(found) is not type(field) or found.name != name:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}: the outbox column {name!r} is hidden by "
                        f"{found.name if found else 'nothing'!r}.",
                        hint="Rename the table's own field so it keeps OutgoingEmail's columns.",
                        obj=model,
                        id="outbox.E001",
                    )
                )
    return errors


# Backends that take a message and send it nowhere: every row would be marked sent.
NOWHERE = {
    f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("filebased", "console", "locmem", "dummy")
}


@checks.register(deploy=True)
def check_emails_leave(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.EMAIL_BACKEND not in NOWHERE:
        return []
    return [
        checks.Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no email leaves this machine, "
            "yet every one is marked sent.",
            hint="Set ANYMAIL_ESP and ANYMAIL_API_KEY, or EMAIL_HOST for an SMTP relay.",
            id="outbox.W001",
        )
    ]
