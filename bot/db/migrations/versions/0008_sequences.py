"""sequences: village_sequence (stable per-village numbers)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('village_sequence',
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('village_id', 'kind')
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table('village_sequence')
