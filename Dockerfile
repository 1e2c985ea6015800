# aidewatch image: the package installed (not editable), run as a non-root user whose only
# writable place is the /data volume (embedded store and broker; unused with PostgreSQL + Redis).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1 AIDEWATCH_DATA_DIR=/data
WORKDIR /src
COPY pyproject.toml README.md ./
COPY aidewatch aidewatch
COPY workers workers
COPY tasks tasks
COPY storage storage
COPY seeds seeds
RUN pip install --no-cache-dir . \
 && useradd --create-home --uid 10001 aidewatch \
 && mkdir -p /data && chown aidewatch:aidewatch /data
USER aidewatch
WORKDIR /data
VOLUME ["/data"]
CMD ["aidewatch", "run"]
