"""bots: several bots per platform — ``chat.bot`` (the platform id of the bot in that chat),
``outbox.sender`` (the bot that sends the row: the platform's name for its first bot,
``platform:<bot id>`` for the others), wider ``platform_pause.platform`` (a pause per bot).

Existing outbox rows are backfilled to their platform's first bot (``sender = platform``);
existing chats keep ``bot`` NULL here (the bot id is only known from getMe) and the app gives
them to the platform's first configured bot at start-up (``VillageBot._claim_old_chats``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns, backfill the outbox's senders, index the per-bot claim."""
    with op.batch_alter_table('chat') as batch:
        batch.add_column(sa.Column('bot', sqlmodel.sql.sqltypes.AutoString(length=64),
                                   nullable=True))
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(length=80),
                                   nullable=False, server_default=''))
    op.execute("UPDATE outbox SET sender = platform")
    op.create_index('ix_outbox_sender_claim', 'outbox', ['sender', 'status', 'id'])
    with op.batch_alter_table('platform_pause') as batch:
        batch.alter_column('platform', type_=sqlmodel.sql.sqltypes.AutoString(length=80),
                           existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
                           existing_nullable=False)


def downgrade() -> None:
    """Drop the columns (every bot's rows fall back to the platform's one bot)."""
    op.drop_index('ix_outbox_sender_claim', table_name='outbox')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('sender')
    with op.batch_alter_table('chat') as batch:
        batch.drop_column('bot')
    with op.batch_alter_table('platform_pause') as batch:
        batch.alter_column('platform', type_=sqlmodel.sql.sqltypes.AutoString(length=16),
                           existing_type=sqlmodel.sql.sqltypes.AutoString(length=80),
                           existing_nullable=False)
