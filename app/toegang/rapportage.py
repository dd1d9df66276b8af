"""What every question of a rapportage account costs: one from its hourly allowance, one audit line.

Both are written in one transaction, so a question that is counted is always on record and the
other way round. The count lives in the database and is raised with one atomic upsert: every
replica and worker shares it, and two questions at the same moment can never both take the last
place. Windows are clock hours (UTC): predictable for a reporting tool, which can see when its
allowance returns, at the cost that a burst just before and just after the hour may reach twice
the limit within a few minutes.
"""

import math
import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.requests import Request

from app.audit.models import schrijf_audit_direct
from app.kern.db import new_session, tabel_van, upsert, utcnow
from app.kern.problems import Probleem
from app.toegang.models import RapportageTeller

UUR = timedelta(hours=1)
# The parameters of these routes are years, dates, codes and comma lists of names. Anything
# else is invalid input (the route answers 400) and is not written down: never a submitted text.
_CODEACHTIG = re.compile(r"[0-9A-Za-z_,.:-]{0,200}")
NIET_VASTGELEGD = "[niet vastgelegd]"


class TeVeelVragen(Probleem):
    status, soort, titel = 429, "te-veel-vragen", "Te veel vragen"

    def __init__(self, limiet: int, seconden: int) -> None:
        minuten = max(1, math.ceil(seconden / 60))
        super().__init__(
            f"Dit account heeft dit uur al {limiet} vragen gesteld, het maximum per uur. "
            f"Over {minuten} minuten (bij het hele uur) kan het weer; zie Retry-After.",
            headers={"Retry-After": str(seconden)},
        )


def venster_van(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _telopdracht() -> Any:
    """One upsert: a new row, a count in an older hour started afresh, or one more if not full."""
    tabel = tabel_van(RapportageTeller)
    venster = bindparam("venster", type_=tabel.c.venster.type)
    ouder_uur = tabel.c.venster < venster
    return (
        upsert(tabel)
        .values(account_id=bindparam("account_id"), venster=venster, aantal=1)
        .on_conflict_do_update(
            index_elements=[tabel.c.account_id],
            set_={
                "aantal": case((ouder_uur, 1), else_=tabel.c.aantal + 1),
                "venster": case((ouder_uur, venster), else_=tabel.c.venster),
            },
            # Full: no row is updated and none returned, so the count never runs past the limit.
            where=or_(ouder_uur, tabel.c.aantal < bindparam("limiet")),
        )
        .returning(tabel.c.aantal)
    )


# Built once: constructing a statement costs more Python time than running it.
TELOPDRACHT = _telopdracht()


def _tel(session: Session, account_id: int, venster: datetime, limiet: int) -> bool:
    """Raise the account's count for this hour by one; False, and nothing changed, if it is full."""
    waarden = {"account_id": account_id, "venster": venster, "limiet": limiet}
    return session.execute(TELOPDRACHT, waarden).first() is not None


def _waarde(waarde: str) -> str:
    return waarde if _CODEACHTIG.fullmatch(waarde) else NIET_VASTGELEGD


def vraag_van(request: Request, token_id: int) -> tuple[str, list[dict[str, object]]]:
    """The route template and, as audit entries, the key's id and the parameters as sent.

    Never the token itself, nor any header: only the id of the key in the token table.
    """
    route = request.scope.get("route")
    template = request.scope.get("root_path", "") + getattr(route, "path", request.url.path)
    regels: list[dict[str, object]] = [{"veld": "sleutel", "oud": None, "nieuw": token_id}]
    regels += [
        {"veld": naam, "oud": None, "nieuw": _waarde(str(waarde))}
        for naam, waarde in request.path_params.items()
    ]
    # The key too: an unknown one is refused (400) only after the question was counted.
    regels += [
        {"veld": _waarde(naam), "oud": None, "nieuw": _waarde(waarde)}
        for naam, waarde in request.query_params.multi_items()
    ]
    return template, regels


def registreer_vraag(
    engine: Engine,
    limiet: int,
    account_id: int,
    token_id: int,
    request: Request,
    nu: datetime | None = None,
) -> None:
    """Count the question and write its audit line in one transaction, or raise 429.

    A refused question is neither counted nor written down: a key that keeps asking over its
    limit cannot fill the audit table (the request log still shows every 429).
    """
    nu = nu or utcnow()
    venster = venster_van(nu)
    route, regels = vraag_van(request, token_id)
    # A session of its own that writes (on SQLite: takes the write lock at the start), apart from
    # the request's read-only one, which on SQLite could not turn into a writer safely.
    with new_session(engine) as session:
        if not _tel(session, account_id, venster, limiet):
            raise TeVeelVragen(limiet, max(1, math.ceil((venster + UUR - nu).total_seconds())))
        schrijf_audit_direct(session, "rapportage_vraag", account_id, route, regels)
        session.commit()
