"""numbers: stable per-village ``number`` on meetings, notices, FAQ questions, recurring
notices; pending_draft (previews waiting for /xacnhan)

Existing rows are numbered in creation order (per village; village-less rows share village 0)
and the village_sequence counters are moved past them, so new rows never reuse a number.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (sequence kind, only the rows that already have a number in the new scheme)
TABLES = {
    'meeting': ('meeting', None),
    'notice': ('notice', "status = 'sent'"),  # drafts get their number when sent
    'faq_question': ('question', None),
    'recurringnotice': ('recurring', None),
}


def upgrade() -> None:
    """Add the columns, number the existing rows, reserve the sequences past them."""
    op.create_table('pending_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_pending_draft_village_id', 'pending_draft', ['village_id'])
    op.create_index('ix_pending_draft_person_id', 'pending_draft', ['person_id'])
    with op.batch_alter_table('meetingdraft') as batch:
        batch.add_column(sa.Column('rest', sqlmodel.sql.sqltypes.AutoString(length=1000),
                                   nullable=True))
    bind = op.get_bind()
    for table, (kind, where) in TABLES.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('number', sa.Integer(), nullable=True))
        rows = bind.execute(sa.text(
            f"SELECT id, village_id FROM {table}"
            + (f" WHERE {where}" if where else "") + " ORDER BY id")).all()
        last: dict[int, int] = {}
        for row_id, village_id in rows:
            vid = village_id or 0
            last[vid] = last.get(vid, 0) + 1
            bind.execute(sa.text(f"UPDATE {table} SET number = :n WHERE id = :id"),
                         {"n": last[vid], "id": row_id})
        for vid, n in last.items():
            done = bind.execute(sa.text(
                "UPDATE village_sequence SET last = :n WHERE village_id = :v AND kind = :k"
                " AND last < :n"), {"n": n, "v": vid, "k": kind})
            if not done.rowcount and not bind.execute(sa.text(
                    "SELECT 1 FROM village_sequence WHERE village_id = :v AND kind = :k"),
                    {"v": vid, "k": kind}).first():
                bind.execute(sa.text(
                    "INSERT INTO village_sequence (village_id, kind, last) VALUES (:v, :k, :n)"),
                    {"v": vid, "k": kind, "n": n})
        op.create_index(f'ux_{table}_village_number', table, ['village_id', 'number'],
                        unique=True)


def downgrade() -> None:
    """Drop the numbers (the sequences keep their counters) and the drafts."""
    op.drop_table('pending_draft')
    with op.batch_alter_table('meetingdraft') as batch:
        batch.drop_column('rest')
    for table in TABLES:
        op.drop_index(f'ux_{table}_village_number', table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column('number')
