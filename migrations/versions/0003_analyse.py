"""analyse: summary tables for the annual analysis, filled from existing registrations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 00:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analyse_telling",
        sa.Column("jaar", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("wijk", sa.String(length=16), nullable=False),
        sa.Column("kenmerk", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("deel", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("jaar", "wijk", "kenmerk", "code", "deel"),
    )
    op.create_table(
        "analyse_traject",
        sa.Column("traject_id", sa.Uuid(), nullable=False),
        sa.Column("begindatum", sa.Date(), nullable=False),
        sa.Column("bijdrage", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("traject_id"),
    )
    with op.batch_alter_table("analyse_traject", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analyse_traject_begindatum"), ["begindatum"], unique=False
        )
    # Registrations made before this revision are summarised once, by the counting rules the
    # service keeps the tables with afterwards (app.analyse.onderhoud.bijdrage), in the form
    # this revision stores: the increments of each traject as JSON (dropped again in 0011).
    from sqlmodel import Session

    from app.analyse.onderhoud import TEL_OP, begindatum, bijdrage, bijdrage_als_json, deel_van
    from app.kern.optellen import tel_op
    from app.trajecten.models import Traject
    from app.trajecten.stand import laad_traject

    connection = op.get_bind()
    session = Session(bind=connection)
    analyse_traject = sa.table(
        "analyse_traject",
        sa.column("traject_id", sa.Uuid()),
        sa.column("begindatum", sa.Date()),
        sa.column("bijdrage", sa.Text()),
    )
    ids = connection.execute(sa.select(Traject.__table__.c.id)).scalars().all()  # type: ignore[attr-defined]
    for traject_id in ids:
        stand = laad_traject(session, id=traject_id)
        begin = begindatum(stand)
        if stand is None or begin is None:
            continue
        deel = deel_van(traject_id)
        tel_op(session, TEL_OP, [(*s, deel, n) for s, n in bijdrage(stand).items()])
        session.execute(
            analyse_traject.insert().values(
                traject_id=traject_id, begindatum=begin, bijdrage=bijdrage_als_json(stand)
            )
        )
    session.flush()
    session.close()


def downgrade() -> None:
    with op.batch_alter_table("analyse_traject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analyse_traject_begindatum"))
    op.drop_table("analyse_traject")
    op.drop_table("analyse_telling")
