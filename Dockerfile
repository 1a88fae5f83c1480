# Tandem: one image for web (gunicorn), worker and beat (Celery). See docker-compose.yml and
# README "Running in production". Built and run by operators; not exercised by the test suite
# on the development machine (tests/portal/test_compose.py checks what it refers to).

# --- Stage 1: front-end assets from the npm registry, exactly as package-lock.json says ------
# Base images: a supported Node LTS and Python 3.11, both on Debian 12 (bookworm) by name;
# Renovate proposes updates and pins digests (renovate.json, ADR 0100).
FROM node:24-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p vendor/utrecht vendor/htmx \
 && cp node_modules/@utrecht/component-library-css/dist/index.css vendor/utrecht/index.css \
 && cp node_modules/htmx.org/dist/htmx.min.js vendor/htmx/htmx.min.js

# --- Stage 2: Python dependencies, translations and collected static files -------------------
FROM python:3.11-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
# Only what the hashed lock files name (ADR 0100): build tools, runtime set, then the project.
COPY requirements/build.txt requirements/base.txt requirements/
RUN pip install --require-hashes -r requirements/build.txt \
 && pip install --require-hashes -r requirements/base.txt
COPY pyproject.toml README.md ./
RUN pip install --no-deps --no-build-isolation .
COPY . .
COPY --from=assets /build/vendor/ static/vendor/
# collectstatic needs settings that import; this key exists only during the build.
RUN DJANGO_DEBUG=true python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 \
 && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only-not-a-secret-1234567890-abcdefghijklmnopqrstuvwxyz \
    DJANGO_STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input -v 0

# --- Stage 3: the runtime image ------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    TANDEM_PRIVATE_MEDIA_ROOT=/var/lib/tandem/private \
    GUNICORN_BIND=0.0.0.0:8000
# WeasyPrint needs Pango (with HarfBuzz subsetting and fontconfig) and at least one font;
# postgresql-client (15 on Debian bookworm, as the db service) and gnupg (encrypted archives,
# ADR 0104) for manage.py backup/restore.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
      fonts-dejavu-core postgresql-client gnupg \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 tandem \
 && useradd --system --uid 10001 --gid tandem --home-dir /app --shell /usr/sbin/nologin tandem \
 && mkdir -p /var/lib/tandem/private /app/backups \
 && chown -R tandem:tandem /var/lib/tandem /app/backups \
 && chmod 0750 /var/lib/tandem/private
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER tandem
VOLUME ["/var/lib/tandem/private"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck.py", "web"]
CMD ["gunicorn", "-c", "python:portal.gunicorn_conf", "portal.wsgi:application"]
