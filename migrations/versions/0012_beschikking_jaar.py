"""beschikking_jaar: when a year's beschikkingen were last loaded, and the row an upload locks

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No rows for years loaded before: the first upload of a year makes its row.
    op.create_table(
        "beschikking_jaar",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("geladen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("jaar"),
    )


def downgrade() -> None:
    op.drop_table("beschikking_jaar")
