"""Storage: sqlmodel tables on async SQLAlchemy, schema managed by Alembic."""
