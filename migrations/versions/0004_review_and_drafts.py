"""review queue, strategy drafts, theme candidates

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:51:58.904081

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('strategy_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_strategy_draft_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategy_draft'))
    )
    op.create_table('draft_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['strategy_draft.id'], name=op.f('fk_draft_section_draft_id_strategy_draft'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_section'))
    )
    with op.batch_alter_table('draft_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_section_draft_id'), ['draft_id'], unique=False)

    op.create_table('theme_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('key_phrases', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('examples', sa.JSON(), nullable=False),
    sa.Column('answer_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='new', nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_theme_candidate_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_theme_candidate_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_theme_candidate_theme_id_theme'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_candidate'))
    )
    with op.batch_alter_table('theme_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_candidate_status'), ['status'], unique=False)

    op.create_table('draft_section_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['draft_section.id'], name=op.f('fk_draft_section_version_section_id_draft_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_draft_section_version_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_section_version'))
    )
    with op.batch_alter_table('draft_section_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_section_version_section_id'), ['section_id'], unique=False)

    op.create_table('evidence_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=64), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('key_phrases', sa.JSON(), nullable=False),
    sa.Column('quotes', sa.JSON(), nullable=False),
    sa.Column('data_as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_evidence_block_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['draft_section.id'], name=op.f('fk_evidence_block_section_id_draft_section'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_block'))
    )
    with op.batch_alter_table('evidence_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_block_section_id'), ['section_id'], unique=False)

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uncertainty', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_answer_analysed_at'), ['analysed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_reviewed_at'), ['reviewed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_uncertainty'), ['uncertainty'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_answer_reviewed_by_id_user_account'), 'user_account', ['reviewed_by_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_answer_reviewed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_answer_uncertainty'))
        batch_op.drop_index(batch_op.f('ix_answer_reviewed_at'))
        batch_op.drop_index(batch_op.f('ix_answer_analysed_at'))
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('uncertainty')

    with op.batch_alter_table('evidence_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_block_section_id'))

    op.drop_table('evidence_block')
    with op.batch_alter_table('draft_section_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_section_version_section_id'))

    op.drop_table('draft_section_version')
    with op.batch_alter_table('theme_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_candidate_status'))

    op.drop_table('theme_candidate')
    with op.batch_alter_table('draft_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_section_draft_id'))

    op.drop_table('draft_section')
    op.drop_table('strategy_draft')
