"""cache notify: on PostgreSQL every committed change to a table a read cache keeps announces
itself, ``NOTIFY villagebot_cache, '<table>'``, so every bot process empties its caches of
that table (``bot/db/cache_listener.py``).  Whoever writes — a bot process, psql, a script —
the statement-level trigger fires; NOTIFY is transactional (sent at commit, never on
rollback).  Nothing on SQLite (one process owns the file and watches its own writes).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 06:30:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = "villagebot_cache_notify"
CHANNEL = "villagebot_cache"
# every table a ReadCache watches (bot/db/read_cache.py KNOWN_TABLES, meetings LISTING_TABLES)
TABLES = ("chat", "person", "officialrole", "village", "chat_member", "meeting", "rsvp")


def _trigger(table: str) -> str:
    return f"{table}_villagebot_cache"


def upgrade() -> None:
    """The notify function and one statement-level trigger per cached table."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$""")
    for table in TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS {_trigger(table)} ON "{table}"')
        op.execute(f'CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE OR '
                   f'TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()')


def downgrade() -> None:
    """Drop the triggers and the function (the caches of PostgreSQL stay bypassed)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS {_trigger(table)} ON "{table}"')
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
