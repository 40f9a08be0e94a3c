from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404


def page_or_404(request, queryset, per_page: int, *, count: int | None = None) -> Page:
    """The requested page; a page number that is not a number or out of range is a 404.

    `count`, when the caller already knows it (a page that counted its filters), saves
    the paginator's own COUNT query.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property, filled ahead
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from exc
