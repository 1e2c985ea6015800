FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
COPY pyproject.toml README.md ./
COPY aidewatch aidewatch
COPY workers workers
COPY tasks tasks
COPY storage storage
COPY seeds seeds
RUN pip install --no-cache-dir -e .
RUN useradd --create-home aidewatch
USER aidewatch
CMD ["aidewatch", "run"]
