import importlib

from django.urls import clear_url_caches, reverse

import smp_site.urls


def test_the_benchmark_view_is_mounted_only_with_bench(client, settings):
    assert client.get("/_bench/hello/").status_code == 404
    settings.BENCH = True
    importlib.reload(smp_site.urls)
    clear_url_caches()
    try:
        assert reverse("bench-hello") == "/_bench/hello/"
        response = client.get("/_bench/hello/")
        assert (response.status_code, response.content) == (200, b"hello")
    finally:
        settings.BENCH = False
        importlib.reload(smp_site.urls)
        clear_url_caches()
