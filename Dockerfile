# One image for the three services; docker-compose.yml picks each one's command.
# It installs the package without the `dev` extra, so SecantusDB (GPL-2.0,
# beta) and the test tools are never part of it.

FROM python:3.11-slim-bookworm AS build

WORKDIR /src
COPY pyproject.toml ./
COPY shared ./shared
COPY services ./services
COPY tanggap ./tanggap
RUN pip install --no-cache-dir --prefix=/install .


FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TANGGAP_ENVIRONMENT=production \
    TANGGAP_VAR_DIR=/var/lib/tanggap \
    TANGGAP_GATEWAY_HOST=0.0.0.0

RUN useradd --system --uid 10001 --home-dir /var/lib/tanggap --create-home tanggap
COPY --from=build /install /usr/local

USER tanggap
WORKDIR /var/lib/tanggap
EXPOSE 8000

CMD ["python", "-m", "services.gateway"]
