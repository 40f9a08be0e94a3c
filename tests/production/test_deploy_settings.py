"""The settings with a production environment, as a fresh process sees them."""

import pytest

from tests.production.conftest import production_env, run_python, settings_in


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_local_files_and_an_smtp_relay_too(tmp_path):
    env = production_env(
        tmp_path, STORAGE_BACKEND="local", ANYMAIL_ESP=None, EMAIL_HOST="smtp.smp.example"
    )
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_no_email_would_leave_the_machine(tmp_path):
    """Without an ESP or an SMTP server, emails go to files and rows are marked sent."""
    env = production_env(tmp_path, ANYMAIL_ESP=None)
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0 and "outbox.W001" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "backend"),
    [
        ({"ANYMAIL_ESP": None}, "django.core.mail.backends.filebased.EmailBackend"),
        (
            {"ANYMAIL_ESP": None, "EMAIL_HOST": "mailpit"},
            "django.core.mail.backends.smtp.EmailBackend",
        ),
        ({"EMAIL_HOST": "mailpit"}, "anymail.backends.postmark.EmailBackend"),
        (
            {
                "EMAIL_HOST": "mailpit",
                "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            },
            "django.core.mail.backends.console.EmailBackend",
        ),
    ],
)
def test_the_email_backend_is_the_explicit_one_else_the_esp_else_smtp_else_files(
    tmp_path, overrides, backend
):
    assert settings_in(production_env(tmp_path, **overrides), "EMAIL_BACKEND") == {
        "EMAIL_BACKEND": backend
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DATABASE_URL": ""}, "DATABASE_URL is set but empty"),
        ({"REDIS_URL": ""}, "REDIS_URL is set but empty"),
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"AWS_PRIVATE_BUCKET_NAME": None}, "needs AWS_PRIVATE_BUCKET_NAME"),
        ({"AWS_STORAGE_BUCKET_NAME": ""}, "needs AWS_STORAGE_BUCKET_NAME"),
        ({"STORAGE_BACKEND": "ftp"}, "use local or s3"),
        ({"ANYMAIL_API_KEY": None}, "needs ANYMAIL_API_KEY"),
        ({"ANYMAIL_ESP": "pigeon"}, "is not one of"),
        ({"SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"}, "HEADER,value"),
    ],
)
def test_production_settings_refuse_what_cannot_work(tmp_path, overrides, message):
    result = run_python(["-c", "import smp_site.settings"], production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_security_settings(tmp_path):
    values = settings_in(
        production_env(tmp_path),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "FILE_UPLOAD_MAX_MEMORY_SIZE",
        "TRUSTED_PROXY_COUNT",
        "CONTENT_SECURITY_POLICY",
        "ADMIN_2FA_REQUIRED",
    )
    assert values["DEBUG"] is False
    assert values["ADMIN_2FA_REQUIRED"] is True  # a password alone never opens the admin
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert (
        values["DATA_UPLOAD_MAX_MEMORY_SIZE"] == values["FILE_UPLOAD_MAX_MEMORY_SIZE"] == 2_621_440
    )
    assert values["TRUSTED_PROXY_COUNT"] == 1
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["upgrade-insecure-requests"] is True
    assert directives["script-src"] == ["'self'"]
    # Public images come from the media bucket.
    assert "https://smp-media.s3.eu-west-2.amazonaws.com" in directives["img-src"]


def test_preload_and_the_redirect_can_be_switched_off(tmp_path):
    env = production_env(tmp_path, SECURE_HSTS_PRELOAD="false", SECURE_SSL_REDIRECT="false")
    values = settings_in(
        env, "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "CONTENT_SECURITY_POLICY"
    )
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    # Plain http: upgrading every request to https would break the site.
    assert "upgrade-insecure-requests" not in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]


def test_s3_mode_storages_and_views(tmp_path):
    env = production_env(tmp_path, PRIVATE_FILE_URL_EXPIRY="90")
    values = settings_in(env, "STORAGES", "PRIVATE_FILES_REDIRECT", "SERVE_MEDIA", "MEDIA_ORIGINS")
    default = values["STORAGES"]["default"]
    private = values["STORAGES"]["private"]
    assert default["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "smp-media"
    assert default["OPTIONS"]["querystring_auth"] is False
    assert private["OPTIONS"]["bucket_name"] == "smp-quote-photos"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"]["querystring_expire"] == 90
    for options in (default["OPTIONS"], private["OPTIONS"]):
        assert options["signature_version"] == "s3v4"
        assert options["file_overwrite"] is False
        assert options["default_acl"] is None  # access comes from bucket policies
        assert options["region_name"] == "eu-west-2"
    # whitenoise's compressed manifest storage, served by the app (smp_site/static_files.py)
    assert (
        values["STORAGES"]["staticfiles"]["BACKEND"] == "smp_site.static_files.StaticFilesStorage"
    )
    assert values["PRIVATE_FILES_REDIRECT"] is True
    assert values["SERVE_MEDIA"] is False


def test_an_s3_compatible_server_with_a_custom_domain(tmp_path):
    env = production_env(
        tmp_path,
        AWS_S3_ENDPOINT_URL="https://s3.provider.example",
        AWS_S3_CUSTOM_DOMAIN="media.smp.example",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    values = settings_in(env, "STORAGES", "MEDIA_ORIGINS")
    options = values["STORAGES"]["default"]["OPTIONS"]
    assert options["endpoint_url"] == "https://s3.provider.example"
    assert options["custom_domain"] == "media.smp.example"
    assert options["addressing_style"] == "path"
    assert values["STORAGES"]["private"]["OPTIONS"]["custom_domain"] is None
    assert values["MEDIA_ORIGINS"] == ["https://media.smp.example", "https://s3.provider.example"]


def test_no_environment_at_all_runs_on_one_machine(tmp_path):
    env = production_env(tmp_path)
    bare = {name: env[name] for name in ("PATH", "HOME", "LANG")}
    values = settings_in(
        bare,
        "DEBUG",
        "DATABASES",
        "STORAGES",
        "EMAIL_BACKEND",
        "SERVE_MEDIA",
        "PRIVATE_FILES_REDIRECT",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CONTENT_SECURITY_POLICY",
        "TRUSTED_PROXY_COUNT",
        "CELERY_TASK_ALWAYS_EAGER",
    )
    assert values["DEBUG"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["STORAGES"]["private"]["BACKEND"].endswith("FileSystemStorage")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["SERVE_MEDIA"] is True
    assert values["PRIVATE_FILES_REDIRECT"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False
    assert "upgrade-insecure-requests" not in values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert values["TRUSTED_PROXY_COUNT"] == 0
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True


@pytest.mark.parametrize(
    ("overrides", "backend"),
    [
        ({"ANYMAIL_ESP": "postmark"}, "anymail.backends.postmark.EmailBackend"),
        ({"ANYMAIL_ESP": "mailgun"}, "anymail.backends.mailgun.EmailBackend"),
        (
            {"ANYMAIL_ESP": "amazon_ses", "ANYMAIL_API_KEY": None},
            "anymail.backends.amazon_ses.EmailBackend",
        ),
        (
            {
                "ANYMAIL_ESP": "postmark",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            },
            "django.core.mail.backends.smtp.EmailBackend",
        ),
        ({"ANYMAIL_ESP": None}, "django.core.mail.backends.filebased.EmailBackend"),
    ],
)
def test_the_email_backend_follows_the_environment(tmp_path, overrides, backend):
    assert settings_in(production_env(tmp_path, **overrides), "EMAIL_BACKEND") == {
        "EMAIL_BACKEND": backend
    }


def test_mailgun_keys_and_a_custom_api_url_reach_anymail(tmp_path):
    env = production_env(
        tmp_path,
        ANYMAIL_ESP="mailgun",
        ANYMAIL_API_KEY="key-123",
        ANYMAIL_API_URL="https://api.eu.mailgun.net/v3",
        MAILGUN_SENDER_DOMAIN="mg.smp.example",
        MAILGUN_WEBHOOK_SIGNING_KEY="signing-456",
    )
    anymail = settings_in(env, "ANYMAIL")["ANYMAIL"]
    assert anymail == {
        "WEBHOOK_SECRET": "dummy:webhook-secret",
        "MAILGUN_API_KEY": "key-123",
        "MAILGUN_API_URL": "https://api.eu.mailgun.net/v3",
        "MAILGUN_SENDER_DOMAIN": "mg.smp.example",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-456",
    }


def test_smtp_settings_come_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        ANYMAIL_ESP=None,
        EMAIL_HOST="mailpit",
        EMAIL_PORT="1025",
        EMAIL_HOST_USER="user",
        EMAIL_HOST_PASSWORD="pass",
        EMAIL_USE_TLS="true",
    )
    values = settings_in(
        env,
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mailpit",
        "EMAIL_PORT": 1025,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "pass",
        "EMAIL_USE_TLS": True,
    }


def test_production_keeps_database_connections_and_checks_them(tmp_path):
    """A connection per request cost two thirds of a PostgreSQL page (README, Performance)."""
    postgres = "postgres://smp@db.internal:5432/smp"
    database = settings_in(production_env(tmp_path, DATABASE_URL=postgres), "DATABASES")
    default = database["DATABASES"]["default"]
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True
    # A deployment behind a connection pooler turns reuse off, in the environment.
    env = production_env(tmp_path, DATABASE_URL=postgres, CONN_MAX_AGE="0")
    assert settings_in(env, "DATABASES")["DATABASES"]["default"]["CONN_MAX_AGE"] == 0
    # runserver (DEBUG on) opens a thread per request: those connections are closed.
    env = production_env(tmp_path, DATABASE_URL=postgres, DEBUG="true")
    assert settings_in(env, "DATABASES")["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_behind_a_pooler_in_transaction_mode_no_cursor_outlives_its_transaction(tmp_path):
    """PgBouncer's transaction mode hands the server connection to another client after
    each transaction: a server-side cursor (`.iterator()`) would be read from the wrong
    one, and a kept connection means nothing (Django's docs, "Transaction pooling")."""
    postgres = "postgres://smp@pgbouncer.internal:6432/smp"
    env = production_env(tmp_path, DATABASE_URL=postgres, DATABASE_POOLER_TRANSACTION_MODE="true")
    default = settings_in(env, "DATABASES")["DATABASES"]["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["CONN_MAX_AGE"] == 0
    default = settings_in(production_env(tmp_path, DATABASE_URL=postgres), "DATABASES")
    assert "DISABLE_SERVER_SIDE_CURSORS" not in default["DATABASES"]["default"]
