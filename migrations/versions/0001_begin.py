"""begin: accounts, tokens, trajecten, gesprekken, overdrachten

Revision ID: 0001
Revises:
Create Date: 2026-11-23 00:20:54.562007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=64), nullable=False),
        sa.Column("rol", sa.String(length=20), nullable=False),
        sa.Column("wachtwoord_hash", sa.String(length=255), nullable=True),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rol IN ('preventiewerker', 'kwartiermaker', 'rapportage', 'beheerder')",
            name="ck_account_rol",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("naam"),
    )
    op.create_table(
        "account_wijk",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "wijk"),
    )
    op.create_table(
        "token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("soort", sa.String(length=10), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ingetrokken_op", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("soort IN ('sessie', 'sleutel')", name="ck_token_soort"),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_token_account_id"), ["account_id"], unique=False)

    op.create_table(
        "traject",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("leeftijdsgroep", sa.String(length=40), nullable=False),
        sa.Column("instroomroute", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("verzoek_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("afgesloten_op", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'afgerond', 'overgedragen')", name="ck_traject_status"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("traject", schema=None) as batch_op:
        batch_op.create_index("ix_traject_account_status", ["account_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_traject_wijk"), ["wijk"], unique=False)

    op.create_table(
        "gesprek",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("traject_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("locatie", sa.String(length=40), nullable=False),
        sa.Column("afhandeling", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("verzoek_hash", sa.String(length=64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("volgnummer BETWEEN 1 AND 5", name="ck_gesprek_volgnummer"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(["traject_id"], ["traject.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("traject_id", "volgnummer", name="uq_gesprek_traject_volgnummer"),
    )
    with op.batch_alter_table("gesprek", schema=None) as batch_op:
        batch_op.create_index("ix_gesprek_datum", ["datum"], unique=False)

    op.create_table(
        "gesprek_vraagtype",
        sa.Column("gesprek_id", sa.Uuid(), nullable=False),
        sa.Column("vraagtype", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["gesprek_id"], ["gesprek.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("gesprek_id", "vraagtype"),
    )
    op.create_table(
        "overdracht",
        sa.Column("traject_id", sa.Uuid(), nullable=False),
        sa.Column("gesprek_id", sa.Uuid(), nullable=True),
        sa.Column("doel", sa.String(length=40), nullable=False),
        sa.Column("warm", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('aangemeld', 'geaccepteerd', 'niet_gelukt')", name="ck_overdracht_status"
        ),
        sa.ForeignKeyConstraint(["gesprek_id"], ["gesprek.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["traject_id"], ["traject.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("traject_id"),
    )


def downgrade() -> None:
    op.drop_table("overdracht")
    op.drop_table("gesprek_vraagtype")
    with op.batch_alter_table("gesprek", schema=None) as batch_op:
        batch_op.drop_index("ix_gesprek_datum")

    op.drop_table("gesprek")
    with op.batch_alter_table("traject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_traject_wijk"))
        batch_op.drop_index("ix_traject_account_status")

    op.drop_table("traject")
    with op.batch_alter_table("token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_token_account_id"))

    op.drop_table("token")
    op.drop_table("account_wijk")
    op.drop_table("account")
