"""Alembic migrations, run in-process by thematica.storage.database."""
