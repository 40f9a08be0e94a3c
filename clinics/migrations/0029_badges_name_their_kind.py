"""Stored credential badges gain their kind and staff's title, so the profile names a
badge's kind in each reader's language (CredentialBadge.from_stored). A badge stored
before carries only its English label: the label tells its kind, or it was staff's
title."""

from django.db import migrations

KINDS = {
    "Training certificate": "training",
    "Licence": "licence",
    "Insurance": "insurance",
    "Other": "other",
}


def name_kinds(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    for clinic in Clinic.objects.exclude(credential_badges=[]).only("credential_badges"):
        badges = []
        for badge in clinic.credential_badges:
            if "kind" not in badge:
                kind = KINDS.get(badge["label"])
                badge = {**badge, "kind": kind or "other", "title": "" if kind else badge["label"]}
            badges.append(badge)
        Clinic.objects.filter(pk=clinic.pk).update(credential_badges=badges)


class Migration(migrations.Migration):
    dependencies = [("clinics", "0028_clinic_texts_per_language")]

    operations = [migrations.RunPython(name_kinds, migrations.RunPython.noop, elidable=True)]
