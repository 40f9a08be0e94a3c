import json
from io import StringIO

import pytest
from django.core.management import call_command, get_commands


def test_the_tools_app_brings_the_bench_and_lighthouse_commands():
    commands = get_commands()
    for name in ("bench", "bench_pipeline", "lighthouse"):
        assert commands[name] == "tools", name


@pytest.mark.django_db
def test_bench_pipeline_finds_the_pages_to_measure():
    call_command("load_demo", "--scale", "100", stdout=StringIO())
    out = StringIO()
    call_command("bench_pipeline", "urls", stdout=out)
    paths = json.loads(out.getvalue())
    assert set(paths) == {"country", "city", "clinic", "article", "static", "training_class"}
    assert paths["city"].endswith("/scale-samplebury/")
