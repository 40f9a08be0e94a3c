"""The site's sitemap: Django's own index and section views over every app's sections.

Nothing is kept between requests: each section reads its page of addresses in one query
(plus the paginator's count), and the pages are rendered by Jinja2
(smp_site/jinja2/sitemaps/urlset.xml), which writes the same XML as Django's template
several times faster: a page lists up to 1,000 addresses.
"""

from django.contrib.sitemaps import Sitemap

from articles.sitemaps import sitemaps as article_sitemaps
from clinics.sitemaps import sitemaps as clinic_sitemaps
from pages.sitemaps import sitemaps as page_sitemaps
from training.sitemaps import sitemaps as training_sitemaps

sections: dict[str, type[Sitemap]] = {
    **page_sitemaps,
    **clinic_sitemaps,
    **article_sitemaps,
    **training_sitemaps,
}
