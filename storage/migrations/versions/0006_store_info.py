"""store_info: facts about the store itself (when its default feeds and watchlist were loaded);
errors looked up by scope and ref (a repeated backfill does not store its errors twice)

Revision ID: 0006
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('store_info',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_store_info'))
    )
    op.create_index('ix_errors_scope_ref', 'errors', ['scope', 'ref'], unique=False)
    # A store created before this table was seeded at its first run already: record that, so the
    # defaults never come back after the user removed them.
    op.execute("INSERT INTO store_info (key, value, updated_at) "
               "SELECT 'defaults_loaded', '{\"migrated\": true}', CURRENT_TIMESTAMP "
               "WHERE EXISTS (SELECT 1 FROM feeds) OR EXISTS (SELECT 1 FROM watch_people)")


def downgrade() -> None:
    op.drop_index('ix_errors_scope_ref', table_name='errors')
    op.drop_table('store_info')
