"""indicatoren: outside effect figures per wijk and year

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator_waarde",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("waarde", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("jaar", "wijk", "indicator"),
    )


def downgrade() -> None:
    op.drop_table("indicator_waarde")
