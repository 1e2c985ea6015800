"""the web view's event lists: a covering index in list order, and one by person

``ix_events_listing`` holds every column the list filters test (person, organisation, type,
historical) in list order (reported, id), so a filtered page reads the index alone, never the
rows it skips. ``ix_events_person`` and ``ix_events_organisation`` list the distinct names and find the events
of given ones (name and organisation filters, people pages, watchlist).

Revision ID: 0009
Revises: 0006
"""
from alembic import op


revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_listing', 'events',
                    ['reported', 'id', 'person', 'organisation', 'type', 'historical'])
    op.create_index('ix_events_person', 'events', ['person'])
    op.create_index('ix_events_organisation', 'events', ['organisation'])


def downgrade() -> None:
    op.drop_index('ix_events_organisation', table_name='events')
    op.drop_index('ix_events_person', table_name='events')
    op.drop_index('ix_events_listing', table_name='events')
