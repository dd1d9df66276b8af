"""activiteiten: collective activities per wijk

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activiteit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("bijeenkomsten", sa.Integer(), nullable=False),
        sa.Column("deelnemers", sa.Integer(), nullable=False),
        sa.Column("vrijwilligers", sa.Integer(), nullable=False),
        sa.Column("initiatief", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("verzoek_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "initiatief IN ('bewoners', 'professionals', 'samen')",
            name="ck_activiteit_initiatief",
        ),
        sa.CheckConstraint("bijeenkomsten BETWEEN 1 AND 366", name="ck_activiteit_bijeenkomsten"),
        sa.CheckConstraint("deelnemers BETWEEN 0 AND 10000", name="ck_activiteit_deelnemers"),
        sa.CheckConstraint("vrijwilligers BETWEEN 0 AND 1000", name="ck_activiteit_vrijwilligers"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activiteit", schema=None) as batch_op:
        batch_op.create_index("ix_activiteit_wijk_datum", ["wijk", "datum"], unique=False)
        batch_op.create_index("ix_activiteit_datum", ["datum"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activiteit", schema=None) as batch_op:
        batch_op.drop_index("ix_activiteit_datum")
        batch_op.drop_index("ix_activiteit_wijk_datum")
    op.drop_table("activiteit")
