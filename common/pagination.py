from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, QuerySet, Window
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


def counted_page_or_404(request, queryset: QuerySet, per_page: int) -> Page:
    """`page_or_404`, with the total read by the page's own query (`COUNT(*) OVER ()`, a
    window over the rows before the page is cut from them) rather than a COUNT query of
    its own; its rows are fetched. A page past the last has no row to say the total, and
    is a 404 as it would be anyway; an empty first page has a total of 0."""
    paginator = Paginator(queryset, per_page)
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404(paginator.error_messages["invalid_page"]) from None
    if number < 1:
        raise Http404(paginator.error_messages["min_page"])
    bottom = (number - 1) * per_page
    rows = list(queryset.annotate(page_total=Window(Count("pk")))[bottom : bottom + per_page])
    paginator.count = rows[0].page_total if rows else 0  # a cached_property, filled ahead
    try:
        page = paginator.page(number)
    except InvalidPage as exc:
        raise Http404(str(exc)) from exc
    page.object_list = rows
    return page
