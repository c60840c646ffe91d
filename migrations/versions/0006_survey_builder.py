"""survey builder: thank-you text, privacy link, languages, embedding municipalities, archive;
question versions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thanks_da', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('thanks_en', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('privacy_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('languages', sa.String(length=8), server_default='da,en', nullable=False))
        batch_op.add_column(sa.Column('embed_municipalities', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint('uq_question_survey_id', type_='unique')
        batch_op.create_unique_constraint('uq_question_survey_id', ['survey_id', 'key', 'version'])


def downgrade():
    # Keep retired versions (answers point at them) under a key of their own.
    op.execute("UPDATE question SET key = key || '-v' || CAST(version AS VARCHAR(10)) WHERE retired_at IS NOT NULL")
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint('uq_question_survey_id', type_='unique')
        batch_op.create_unique_constraint('uq_question_survey_id', ['survey_id', 'key'])
        batch_op.drop_column('retired_at')
        batch_op.drop_column('version')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('embed_municipalities')
        batch_op.drop_column('languages')
        batch_op.drop_column('privacy_url')
        batch_op.drop_column('thanks_en')
        batch_op.drop_column('thanks_da')
