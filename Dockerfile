# Portal image: gunicorn web, Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-thai-tlwg gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install -e . || true
COPY . .
RUN pip install -e . \
 && python manage.py compilemessages -v0 --ignore=.venv \
 && DJANGO_DEBUG=0 SECRET_KEY=build-only PERSONAL_ID_HASH_KEY=build-only ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktbm90LWZvci1hbnktZGF0YSE= python manage.py collectstatic --noinput -v0

RUN useradd --create-home portal && mkdir -p /app/media /app/private-media && chown portal /app/media /app/private-media
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
