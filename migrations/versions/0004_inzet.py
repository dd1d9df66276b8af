"""inzet: professional hours and euros per wijk and year

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inzet",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("jaar", "wijk"),
    )
    op.create_table(
        "inzet_uren",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("honderdste_uren", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "honderdste_uren BETWEEN 0 AND 40000", name="ck_inzet_uren_honderdste_uren"
        ),
        sa.ForeignKeyConstraint(["jaar", "wijk"], ["inzet.jaar", "inzet.wijk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("jaar", "wijk", "soort"),
    )
    op.create_table(
        "inzet_bedrag",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("post", sa.String(length=40), nullable=False),
        sa.Column("centen", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("centen BETWEEN 0 AND 100000000000", name="ck_inzet_bedrag_centen"),
        sa.ForeignKeyConstraint(["jaar", "wijk"], ["inzet.jaar", "inzet.wijk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("jaar", "wijk", "post"),
    )


def downgrade() -> None:
    op.drop_table("inzet_bedrag")
    op.drop_table("inzet_uren")
    op.drop_table("inzet")
