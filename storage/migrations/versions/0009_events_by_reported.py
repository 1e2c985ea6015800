"""events are listed newest first: index (reported, id) for the web view's keyset pages

Revision ID: 0009
Revises: 0004
"""
from alembic import op


revision = '0009'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_reported_id', 'events', ['reported', 'id'])


def downgrade() -> None:
    op.drop_index('ix_events_reported_id', table_name='events')
