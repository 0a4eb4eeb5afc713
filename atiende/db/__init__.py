"""Storage: engine and sessions, models, Alembic migrations."""
