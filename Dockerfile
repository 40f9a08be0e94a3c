# One image for the web process (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Run as an unprivileged user; collectstatic writes staticfiles/ at start.
RUN useradd --create-home --uid 1000 app \
    && mkdir -p staticfiles var \
    && chown -R app:app staticfiles var
USER app

EXPOSE 8000
CMD ["gunicorn", "smp_site.wsgi:application", "--bind", "0.0.0.0:8000"]
