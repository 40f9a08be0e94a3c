from collections.abc import Callable, Sequence
from typing import Any

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


class Deferred(Sequence):
    """A list or queryset made on first use: a paginator given its count ahead, over
    one of these, builds nothing for a page whose rows were kept."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load
        self._items: Any = None

    def _all(self):
        if self._items is None:
            self._items = self._load()
        return self._items

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index):
        if isinstance(index, slice):  # a paginator's page: still deferred
            return Deferred(lambda: self._all()[index])
        return self._all()[index]
