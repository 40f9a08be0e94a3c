# syntax=docker/dockerfile:1
# One image for the web process (gunicorn), the Celery worker and Celery beat; built with
# WITH_DEMO=true, the one that loads the sample data (compose's demo profile).

# 1. The dependencies, exactly as locked (versions and hashes), into a virtualenv.
FROM python:3.11.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements/base.txt requirements/demo.txt /tmp/requirements/
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements/base.txt
# What draws the sample data (resvg-py, the `demo` extra) goes only into the image that
# compose's demo profile builds (WITH_DEMO=true): web, worker and beat run without it.
ARG WITH_DEMO=false
RUN if [ "$WITH_DEMO" = true ]; then \
        /opt/venv/bin/pip install --require-hashes -r /tmp/requirements/demo.txt; \
    fi

# 2. The site: the virtualenv, the code and its static files, run as an unprivileged user.
FROM python:3.11.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
RUN useradd --create-home --uid 1000 app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . .
# collectstatic and the translations' catalogues at build time, so every container starts
# with the same files. It signs
# nothing: the key below exists only for this command, which DEBUG off insists on.
RUN DEBUG=false SECRET_KEY=collectstatic-only-never-used-at-run-time \
        python manage.py collectstatic --noinput -v0 \
    && python manage.py compilemessages -v0 \
    && mkdir -p var \
    && chown -R app:app var
USER app

EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "smp_site.wsgi"]
