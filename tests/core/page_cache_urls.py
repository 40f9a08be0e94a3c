"""Small views behind the page cache, for what no page of the site shows on its own."""

from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from common.page_cache import cache_public_page


def _echo(request: HttpRequest) -> HttpResponse:
    # What the view was given: every parameter it can read, and the address it sees.
    lines = [f"{name}={value}" for name, value in sorted(request.GET.items())]
    return HttpResponse("\n".join([request.get_full_path(), *lines]), content_type="text/plain")


def _raw_csrf_token(request: HttpRequest) -> HttpResponse:
    # A form that writes the token itself, not through {% per_visitor %}.
    template = Template('<input name="csrfmiddlewaretoken" value="{{ csrf_token }}">')
    return HttpResponse(template.render(RequestContext(request)))


def _sets_a_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


@cache_control(private=True)
def _private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("for you alone")


@vary_on_headers("Accept-Language")
def _varies(request: HttpRequest) -> HttpResponse:
    return HttpResponse("depends on the language")


urlpatterns = [
    path("echo/", cache_public_page(_echo, params=("page",))),
    path("raw-csrf/", cache_public_page(_raw_csrf_token)),
    path("cookie/", cache_public_page(_sets_a_cookie)),
    path("private/", cache_public_page(_private)),
    path("varies/", cache_public_page(_varies)),
]
