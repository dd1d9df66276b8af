"""ervaring: answers to the monitor's questionnaires

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ervaring_respons",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("vragenlijst", sa.String(length=40), nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("verzoek_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_ervaring_respons_vragenlijst_datum",
        "ervaring_respons",
        ["vragenlijst", "datum"],
        unique=False,
    )
    op.create_table(
        "ervaring_antwoord",
        sa.Column("respons_id", sa.Uuid(), nullable=False),
        sa.Column("vraag", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_ervaring_antwoord_score"),
        sa.ForeignKeyConstraint(["respons_id"], ["ervaring_respons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("respons_id", "vraag"),
    )


def downgrade() -> None:
    op.drop_table("ervaring_antwoord")
    op.drop_index("ix_ervaring_respons_vragenlijst_datum", table_name="ervaring_respons")
    op.drop_table("ervaring_respons")
