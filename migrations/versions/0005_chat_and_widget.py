"""chat FAQ per survey, widget origins per municipality

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 03:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('faq', sa.JSON(), nullable=True))
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('embed_origins', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('embed_origins')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('faq')
