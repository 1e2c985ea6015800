"""each source speaks for itself: a source's counterpart; merged events are news when any source says so

event_sources already held each article's role, organisation and historical flag; it gains the
counterpart that article names. Events merged before this revision kept their first article's flag:
an event that any of its sources gives as news becomes news, and a role, organisation or counterpart
the event lacks is taken from its earliest source that has one.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _first_source(column: str) -> str:
    return (f"(SELECT s.{column} FROM event_sources s WHERE s.event_id = events.id AND s.{column} IS NOT NULL "
            f"ORDER BY s.created_at, s.article_id LIMIT 1)")


def upgrade() -> None:
    with op.batch_alter_table('event_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counterpart', sa.Text(), nullable=True))
    op.execute("UPDATE events SET historical = false WHERE historical = true AND EXISTS "
               "(SELECT 1 FROM event_sources s WHERE s.event_id = events.id AND s.historical = false)")
    for column in ('role', 'organisation'):
        op.execute(f"UPDATE events SET {column} = {_first_source(column)} WHERE {column} IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('event_sources', schema=None) as batch_op:
        batch_op.drop_column('counterpart')
