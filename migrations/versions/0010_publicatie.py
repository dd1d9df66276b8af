"""publicatie: the secret for cell keys and every published value, kept once shown

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publicatie_geheim",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("waarde", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "publicatie_cel",
        sa.Column("sleutel", sa.String(length=32), nullable=False),
        sa.Column("waarde", sa.Integer(), nullable=True),
        sa.Column("vastgesteld_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sleutel"),
    )


def downgrade() -> None:
    op.drop_table("publicatie_cel")
    op.drop_table("publicatie_geheim")
