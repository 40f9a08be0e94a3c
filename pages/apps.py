from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def create_site_pages(sender, apps=global_apps, **kwargs):
    """Give every trust page its row after `migrate` and after `flush`.

    The pages are promised from the first migrate and can't be deleted, but `flush` (which a
    transactional test runs after itself) empties the table and then sends post_migrate, the
    same way Django's content types and permissions come back (`flush` sends no `apps`:
    the installed ones are today's models).
    """
    from .content import create_missing_pages

    try:
        site_page = apps.get_model("pages", "SitePage")
    except LookupError:  # migrated back to before the table existed
        return
    create_missing_pages(site_page)


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from . import emails  # noqa: F401  (registers the contact emails)

        post_migrate.connect(create_site_pages, sender=self, dispatch_uid="pages.create_site_pages")
