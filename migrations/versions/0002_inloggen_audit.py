"""sign-in attempts and audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:30:29.711297
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inlogpoging",
        sa.Column("sleutel", sa.String(length=64), nullable=False),
        sa.Column("mislukt", sa.Integer(), nullable=False),
        sa.Column("eerste_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geblokkeerd_tot", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sleutel"),
    )
    op.create_table(
        "auditregel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("actie", sa.String(length=40), nullable=False),
        sa.Column("onderwerp", sa.String(length=70), nullable=True),
        sa.Column("wijzigingen", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditregel", schema=None) as batch_op:
        batch_op.create_index(
            "ix_auditregel_account_tijdstip", ["account_id", "tijdstip"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_auditregel_tijdstip"), ["tijdstip"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auditregel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditregel_tijdstip"))
        batch_op.drop_index("ix_auditregel_account_tijdstip")

    op.drop_table("auditregel")
    op.drop_table("inlogpoging")
