# Keel in a container: `python -m bot serve`, with the SQLite database in the volume /data.
#   docker build -t keel .
#   docker run -d --name keel --restart unless-stopped --env-file .env -v keel-data:/data keel
# See README.md, "Run Keel as a service".
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY storage ./storage
RUN python -m pip install '.[postgres]'

RUN useradd --system --create-home keel && mkdir /data && chown keel /data
USER keel
# Keel reads a .env file here too, and keeps keel.db here by default.
WORKDIR /data
ENV DATABASE_URL=sqlite:////data/keel.db
VOLUME /data
EXPOSE 3000

# SIGTERM (docker stop) stops Keel cleanly.
CMD ["python", "-m", "bot", "serve"]
