from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404


def page_or_404(request, queryset, per_page: int) -> Page:
    """The requested page; a page number that is not a number or out of range is a 404."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from exc
