"""Pipeline stages as plain functions: no Celery, Redis or SQL imports here."""
