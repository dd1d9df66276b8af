"""telling_kubus: monthly counts per three dimensions, so that tellingen are fast (issue 14)

With telling_wachtrij, the changes not yet added to it, and telling_code, the numbers that
stand for codes in it (app.analyse.wachtrij).
The table is filled from the registrations already there, by the counting rules of
app.analyse.kubus, reading the raw tables here (not through the service's loading code, which
follows the newest schema). The downgrade drops it: the registrations stay the truth.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:50:00.000000
"""

from collections import Counter
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Trajecten per round of counting: bounded memory, whatever the number of registrations.
PER_KEER = 5000


def upgrade() -> None:
    op.create_table(
        "telling_kubus",
        sa.Column("kubus", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("maand", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("a", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("b", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("c", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kubus", "maand", "a", "b", "c"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "telling_code",
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("nummer"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "telling_wachtrij",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rijen", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _vul()


def downgrade() -> None:
    op.drop_table("telling_wachtrij")
    op.drop_table("telling_code")
    op.drop_table("telling_kubus")


def _trajecten(verbinding: sa.Connection) -> Iterator[SimpleNamespace]:
    """Every traject with gesprekken, as the counting rules read it, one at a time."""
    t = sa.table(
        "traject", *(sa.column(k) for k in ("id", "wijk", "leeftijdsgroep", "instroomroute"))
    )
    g = sa.table(
        "gesprek",
        *(sa.column(k) for k in ("id", "traject_id", "locatie", "afhandeling")),
        sa.column("datum", sa.Date),
    )
    gv = sa.table("gesprek_vraagtype", sa.column("gesprek_id"), sa.column("vraagtype"))
    o = sa.table("overdracht", sa.column("traject_id"), sa.column("doel"))
    query = (
        sa.select(
            t.c.id,
            t.c.wijk,
            t.c.leeftijdsgroep,
            t.c.instroomroute,
            o.c.doel,
            g.c.id,
            g.c.datum,
            g.c.locatie,
            g.c.afhandeling,
            gv.c.vraagtype,
        )
        .select_from(
            t.join(g, g.c.traject_id == t.c.id)
            .outerjoin(gv, gv.c.gesprek_id == g.c.id)
            .outerjoin(o, o.c.traject_id == t.c.id)
        )
        .order_by(t.c.id, g.c.id)
    )
    huidig: SimpleNamespace | None = None
    gesprek: SimpleNamespace | None = None
    # Options on the statement: set on the connection, they would stay for the migration's
    # later statements.
    resultaat = verbinding.execute(query.execution_options(stream_results=True, yield_per=10_000))
    for tid, wijk, leeftijd, instroom, doel, gid, datum, locatie, afhandeling, vt in resultaat:
        if huidig is None or huidig.id != tid:
            if huidig is not None:
                yield huidig
            overdracht = SimpleNamespace(doel=doel) if doel is not None else None
            huidig = SimpleNamespace(
                id=tid, wijk=wijk, leeftijdsgroep=leeftijd, instroomroute=instroom,
                overdracht=overdracht, gesprekken=[],
            )  # fmt: skip
            gesprek = None
        if gesprek is None or gesprek.id != gid:
            gesprek = SimpleNamespace(
                id=gid, datum=datum, locatie=locatie, afhandeling=afhandeling, vraagtypen=[]
            )
            huidig.gesprekken.append(gesprek)
        if vt is not None:
            gesprek.vraagtypen.append(vt)
    if huidig is not None:
        yield huidig


def _vul() -> None:
    from app.analyse.kubus import bijdrage_kubus
    from app.analyse.wachtrij import tel_op_kubus

    verbinding = op.get_bind()
    totaal: Counter[tuple[Any, ...]] = Counter()
    keer: list[SimpleNamespace] = []
    for traject in _trajecten(verbinding):
        keer.append(traject)
        if len(keer) == PER_KEER:
            totaal.update(bijdrage_kubus(keer))
            keer = []
    totaal.update(bijdrage_kubus(keer))
    tel_op_kubus(verbinding, totaal)
