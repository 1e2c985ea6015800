"""the web view's event lists: a covering index in list order, and one by person

``ix_events_listing`` holds every column the list filters test (person, organisation, type,
historical) in list order (reported, id), so a filtered page reads the index alone, never the
rows it skips. ``ix_events_person`` finds the events of given names (people pages, watchlist).

Revision ID: 0009
Revises: 0004
"""
from alembic import op


revision = '0009'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_listing', 'events',
                    ['reported', 'id', 'person', 'organisation', 'type', 'historical'])
    op.create_index('ix_events_person', 'events', ['person'])


def downgrade() -> None:
    op.drop_index('ix_events_person', table_name='events')
    op.drop_index('ix_events_listing', table_name='events')
