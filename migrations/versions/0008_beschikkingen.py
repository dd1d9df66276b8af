"""beschikkingen: beschikkingen per wijk, voorziening and year

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "beschikking_aantal",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("voorziening", sa.String(length=40), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.CheckConstraint("aantal >= 0", name="ck_beschikking_aantal_aantal"),
        sa.PrimaryKeyConstraint("jaar", "wijk", "voorziening"),
    )


def downgrade() -> None:
    op.drop_table("beschikking_aantal")
