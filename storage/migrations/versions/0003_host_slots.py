"""per-host request slots shared by all workers

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('host_slots',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=True),
    sa.Column('until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('host', 'slot', name=op.f('pk_host_slots'))
    )


def downgrade() -> None:
    op.drop_table('host_slots')
