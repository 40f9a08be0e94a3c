# The README's two commands, `make run` and `make test`, do their own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PIP_FLAGS ?= --quiet --disable-pip-version-check

.PHONY: install install-demo install-dev run test test-fast lint format worker migrate demo bench bench-quick bench-smoke lighthouse icons screenshots lock prod reload backup restore lint-migrations messages

# Three lock files made from pyproject.toml by `make lock`, every version pinned with its
# hashes: requirements/base.txt (what the site runs on: `make prod`, the Dockerfile),
# requirements/demo.txt (that, plus what draws the sample data: `make run`, `make icons`,
# compose's demo image) and requirements/dev.txt (both, plus the tests and the checks of
# `make lint`).
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install $(PIP_FLAGS) --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-demo: requirements/demo.txt | $(VENV)/bin/python
	$(PY) -m pip install $(PIP_FLAGS) --require-hashes -r requirements/demo.txt
	touch $@ $(VENV)/.installed-base

$(VENV)/.installed-dev: requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install $(PIP_FLAGS) --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.installed-base $(VENV)/.installed-demo

# Each install also compiles the translations' catalogues (locale/*/LC_MESSAGES/*.mo, not
# kept in git; Babel's, no system package needed), when a .po is newer than its .mo.
install: $(VENV)/.installed-base
	@$(PY) manage.py compilemessages -v0 >/dev/null

install-demo: $(VENV)/.installed-demo
	@$(PY) manage.py compilemessages -v0 >/dev/null

install-dev: $(VENV)/.installed-dev
	@$(PY) manage.py compilemessages -v0 >/dev/null

# Regenerate the lock files after changing pyproject.toml's dependencies. Pins already
# there are kept; LOCK_ARGS=--upgrade moves every package to its newest release,
# LOCK_ARGS="--upgrade-package Pillow" one of them. pip-compile uses pip's own
# configuration, so it resolves against whatever index this machine's pip is set up with.
LOCK_FLAGS = --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)

lock: | $(VENV)/bin/python
	$(PY) -m pip install $(PIP_FLAGS) 'pip-tools>=7.5'
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --output-file requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --extra demo \
		--constraint requirements/base.txt --output-file requirements/demo.txt pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --extra demo --extra test --extra lint \
		--constraint requirements/demo.txt --output-file requirements/dev.txt pyproject.toml

migrate: install
	$(PY) manage.py migrate --noinput

demo: install-demo migrate
	$(PY) manage.py load_demo

# Without Redis there is no worker and no beat: the schedule runs beside the site, so the
# client's reply emails, reminders and held requests happen on a developer's machine too.
run: demo
	@export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	if [ -z "$$REDIS_URL" ]; then \
	  $(PY) manage.py run_schedule & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# System tools a target needs, from Debian's packages: make names them, never installs them
# (.ci/run installs what CI needs). $(call need,TOOLS,PACKAGES)
need = @for tool in $(1); do command -v $$tool >/dev/null 2>&1 || { \
	echo "$$tool is missing: apt-get install -y $(2)"; exit 1; }; done

# The production arrangement on this machine (deploy/prod.py): Debian's nginx in front of
# gunicorn, a worker and beat, with DEBUG off, against DATABASE_URL and REDIS_URL.
PROD_DIR ?= var/prod

prod: install
	$(call need,nginx envsubst,nginx gettext-base)
	$(PY) -m deploy.prod --port $(PORT) --run-dir $(PROD_DIR)

# A new release into a running make prod, with no failed request (deploy/prod.py): install
# it first (git pull, make install); this runs migrate and collectstatic, then gunicorn
# starts workers with the new code before the old ones finish, and the worker and beat
# restart after their tasks. It returns at once: make prod's output says when it is done.
reload:
	@test -s $(PROD_DIR)/prod.pid || { echo "make prod is not running (no $(PROD_DIR)/prod.pid)"; exit 1; }
	kill -HUP $$(cat $(PROD_DIR)/prod.pid)

# Backups with history (deploy/backup.py): the database (pg_dump) and the files of both
# storages, in a dated folder of BACKUP_DIR; unchanged files are hard links to the previous
# backup's, and backups older than BACKUP_KEEP_DAYS are deleted. The same environment as
# make prod (DATABASE_URL, and STORAGE_BACKEND with its variables or the local folders).
# `make restore BACKUP=backups/<time>` puts one back (REPLACE=1 over a database with tables).
BACKUP_DIR ?= backups
BACKUP_KEEP_DAYS ?= 30

backup: install
	$(call need,pg_dump,postgresql-client)
	$(PY) -m deploy.backup create --to $(BACKUP_DIR) --keep-days $(BACKUP_KEEP_DAYS)

restore: install
	$(call need,pg_restore,postgresql-client)
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=$(BACKUP_DIR)/<time>: which backup?"; exit 1; }
	$(PY) -m deploy.backup restore $(BACKUP) $(if $(filter 1,$(REPLACE)),--replace)

worker: install
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(VENV)/bin/celery -A smp_site worker -B --loglevel=INFO

# Every check the house style asks for; each fails on what it finds. django-upgrade has no
# check-only mode: it rewrites what it would change and fails, so `git diff` shows it.
PY_FILES = git ls-files -z -- '*.py' ':!:*/migrations/*'

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check
	$(PY_FILES) | xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/kubernetes-validate --strict --quiet deploy/kubernetes/*.yaml
	@$(MAKE) --no-print-directory lint-migrations

# The interface's gettext catalogues, one per language (locale/<lang>/LC_MESSAGES/
# django.po): every marked string of the Python code, the Django templates and the Jinja2
# templates (smp_site/management/commands/makemessages.py), and djangojs.po: the
# scripts' strings (static/js/), kept in step with the code; translations already written
# are kept. docs/translations.md says how text is marked.
MESSAGE_LANGUAGES = de es fr
# English's own catalogue says what the code says (gettext's msgen copies each new string
# into its translation): an English page's look-ups then find their string at once,
# instead of after missing in the six empty English catalogues Django and its apps bring.
ENGLISH_CATALOGUE = locale/en_GB/LC_MESSAGES/django.po

messages: install-dev
	$(call need,xgettext msgmerge msguniq msgen,gettext)
	$(PY) manage.py makemessages $(foreach lang,$(MESSAGE_LANGUAGES) en_GB,--locale $(lang)) --no-wrap
	msgen --no-wrap --output-file=$(ENGLISH_CATALOGUE) $(ENGLISH_CATALOGUE)
	$(PY) manage.py makemessages -d djangojs $(foreach lang,$(MESSAGE_LANGUAGES),--locale $(lang)) --no-wrap

# django-migration-linter ([tool.django_migration_linter] in pyproject.toml) reads the SQL
# each migration runs, so it lints on PostgreSQL, what production runs (SQLite rebuilds a
# table for every change, and every change would look unsafe). Without a PostgreSQL
# DATABASE_URL it says so and is left out, unless REQUIRE_SERVICES=1 (.ci/run).
lint-migrations: install-dev
	@case "$$DATABASE_URL" in \
	  postgres*) LOG_LEVEL=WARNING $(PY) manage.py lintmigrations -q ok ignore ;; \
	  *) if [ "$$REQUIRE_SERVICES" = 1 ]; then \
	       echo "REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL: lintmigrations cannot run"; \
	       exit 1; \
	     fi; \
	     echo "lintmigrations left out: it needs DATABASE_URL=postgres://..." ;; \
	esac

# The Nu HTML Checker for tests/core/test_html_validity.py: npm's vnu-jar (run with the
# machine's Java; its install script, which would fetch a Java, is not run).
VNU_JAR := var/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	@if command -v npm >/dev/null; then \
	  npm install --prefix var/vnu --no-audit --no-fund --ignore-scripts vnu-jar@26; \
	else echo "npm not found: the HTML validity test will say so and skip"; fi

# The suite on every core (pytest-xdist: each worker its own test database, cache prefix,
# temporary folders and service ports). --dist loadscope keeps each module on one worker,
# so a module-scoped fixture (the gazetteer table, the proxy stack, collectstatic) is set up
# once (--dist loadgroup's xdist_group marks do nothing with pytest 9: xdist 3.8 appends the
# group to item._nodeid, which pytest 9 no longer reads).
# `make test-fast` is the edit loop: no lint, no bench, none of the browser, integration
# and production tiers (real Chromium, Celery workers, nginx, S3 and the subprocesses of
# production settings: docs/testing.md), and none of the tests marked `slow` (whole demo
# and gazetteer loads, a row of every model saved). PYTEST_WORKERS=0 runs the tests in
# make's own pytest process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder
FAST_TIERS = --ignore=tests/browser --ignore=tests/integration --ignore=tests/production \
	-m "not browser and not services and not slow"

# After pytest, the bench's smoke run (a step of its own, not a test: it serves the site with
# gunicorn and drives it with wrk for a few minutes). Without wrk or redis-server it says
# so and is left out, unless REQUIRE_SERVICES=1 (.ci/run), as the service-backed tests are.
test: lint $(VNU_JAR)
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)
	@if command -v wrk >/dev/null && command -v redis-server >/dev/null; then \
	  $(MAKE) --no-print-directory bench-smoke; \
	elif [ "$$REQUIRE_SERVICES" = 1 ]; then \
	  echo "REQUIRE_SERVICES=1 but wrk or redis-server is missing: make bench-smoke cannot run"; \
	  exit 1; \
	else \
	  echo "make bench-smoke left out: wrk or redis-server is not installed" \
	    "(apt-get install -y wrk redis-server)"; \
	fi

test-fast: install-dev
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) $(FAST_TIERS) $(PYTEST_ARGS)

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat --quiet || true
	$(PY_FILES) | xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2 || true

# Load test: gunicorn on loopback driven by wrk, against a redis-server the bench starts
# and stops itself (both from Debian's packages), see README. `make bench-quick` is the
# table in a few minutes (`make bench --quick` would be an option of make's own, so the
# quick run has a target of its own); `make bench-smoke` is the guard `make test` runs.
BENCH_TOOLS = $(call need,wrk redis-server,wrk redis-server)

bench: install-dev
	$(BENCH_TOOLS)
	$(PY) manage.py bench $(BENCH_ARGS)

bench-quick: install-dev
	$(BENCH_TOOLS)
	$(PY) manage.py bench --quick $(BENCH_ARGS)

bench-smoke: install-dev
	$(BENCH_TOOLS)
	$(PY) manage.py bench --smoke $(BENCH_ARGS)

# Lighthouse (npm) in its mobile preset against Debian's Chromium.
lighthouse: install-dev
	$(call need,chromium npm,chromium npm)
	test -x var/lighthouse/node_modules/.bin/lighthouse || npm install --prefix var/lighthouse --no-audit --no-fund lighthouse@12
	CHROME_PATH=/usr/bin/chromium $(PY) manage.py lighthouse

# The favicon set and the email logo, rendered from static/img/logo-mark.svg (committed).
icons: install-demo
	$(PY) manage.py icons

# var/screenshots/ (not committed): the main pages and an email at 375 and 1280 px, light
# and dark.
screenshots: install-dev
	$(call need,chromium,chromium)
	$(PY) manage.py screenshots
