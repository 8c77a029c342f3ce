"""Storage: SQLAlchemy models, study databases and Alembic migrations."""
