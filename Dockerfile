# wijkcontact: one image for every replica. Build: docker build -t wijkcontact .
# Stage 1 builds the wheel and installs it with its dependencies into a virtualenv; the final
# stage copies only that virtualenv, so no compiler, pip cache or source tree ships.
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/wijkcontact
COPY pyproject.toml setup.py README.md ./
COPY app ./app
COPY migrations ./migrations
RUN /opt/wijkcontact/bin/pip install --no-compile . \
    && /opt/wijkcontact/bin/python -m compileall -q /opt/wijkcontact

FROM python:3.11-slim-bookworm

LABEL org.opencontainers.image.title="wijkcontact" \
      org.opencontainers.image.description="Anonieme contactregistratie voor preventiewerkers"

# No root at run time; the data directory is the only place it may write (SQLite, if used).
RUN groupadd --system --gid 10001 wijkcontact \
    && useradd --system --uid 10001 --gid wijkcontact --home-dir /data --create-home \
       --shell /usr/sbin/nologin wijkcontact
COPY --from=build /opt/wijkcontact /opt/wijkcontact

ENV PATH=/opt/wijkcontact/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WIJKCONTACT_DATABASE_URL=sqlite:////data/wijkcontact.db \
    WIJKCONTACT_WORKERS=2
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000

# Readiness includes the database; Python's own urllib keeps curl out of the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4).status != 200)"]

# serve migrates the database to the latest revision first, then starts
# WIJKCONTACT_WORKERS uvicorn workers, without uvicorn's access log (client addresses, paths
# with trajectcodes, query strings): each request is one JSON line on stderr instead.
ENTRYPOINT ["wijkcontact"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
