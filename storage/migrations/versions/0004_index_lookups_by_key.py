"""dedup index lookups go by key first: drop the published-only indexes

The near-copy and story lookups filter by band key or term and a time window. An index on the
time alone let PostgreSQL (with stale statistics) scan the whole window instead: a cost that grows
with the archive. Bands get a (band_key, published) index; terms already have (term, published).

Revision ID: 0004
Revises: 0003
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_lsh_bands_published', table_name='lsh_bands')
    op.drop_index('ix_story_terms_published', table_name='story_terms')
    op.create_index('ix_lsh_bands_band_key_published', 'lsh_bands', ['band_key', 'published'])


def downgrade() -> None:
    op.drop_index('ix_lsh_bands_band_key_published', table_name='lsh_bands')
    op.create_index('ix_story_terms_published', 'story_terms', ['published'])
    op.create_index('ix_lsh_bands_published', 'lsh_bands', ['published'])
