from django.http import HttpRequest, HttpResponse


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The benchmark's baseline: through every middleware, but no database and no template."""
    return HttpResponse("hello", content_type="text/plain")
