"""Sentry, when SENTRY_DSN is set, is sent no personal data and no private link."""

import json

from quotes.links import compare_path
from smp_site.errors import before_send
from tests.production.conftest import production_env, run_python


def test_events_lose_bodies_cookies_query_strings_and_link_tokens():
    path = compare_path(8)
    event = {
        "request": {
            "url": f"https://smp.example{path}",
            "query_string": "email=sam@client.example",
            "data": {"name": "Sam Client", "email": "sam@client.example"},
            "cookies": {"sessionid": "abc"},
            "headers": {
                "Cookie": "sessionid=abc",
                "Referer": f"https://smp.example{path}",
                "Accept": "*/*",
            },
        },
        "logentry": {"message": "Not Found: %s", "params": [path]},
        "breadcrumbs": {"values": [{"message": f"GET {path}?done=chosen"}]},
        "exception": {"values": [{"value": f"Boom at {path}"}]},
    }
    clean = json.dumps(before_send(event))
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in clean
    assert "sam@client.example" not in clean and "Sam Client" not in clean
    assert "sessionid" not in clean and "Referer" not in clean
    assert event["request"]["headers"] == {"Accept": "*/*"}
    assert "/quote/compare/[redacted]/" in clean


def test_sentry_is_set_up_only_with_a_dsn_and_without_personal_data(tmp_path):
    script = (
        "import os, json, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'smp_site.settings'); django.setup(); import sentry_sdk; "
        "o = sentry_sdk.get_client().options; "
        "print(json.dumps({'dsn': o['dsn'], 'pii': o['send_default_pii'], "
        "'body': o['max_request_body_size'], 'hook': o['before_send'].__module__}))"
    )
    env = production_env(tmp_path, SENTRY_DSN="https://public@o1.ingest.example/2")
    result = run_python(["-c", script], env)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert options == {
        "dsn": "https://public@o1.ingest.example/2",
        "pii": False,
        "body": "never",
        "hook": "smp_site.errors",
    }
    without = run_python(
        ["-c", script.replace("o['before_send'].__module__", "None")], production_env(tmp_path)
    )
    assert json.loads(without.stdout)["dsn"] is None
