"""Replace a wijk's inzet for a year: wholly, in one transaction, with an audit line."""

from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from app.audit.models import schrijf_audit
from app.inzet.models import Inzet, InzetBedrag, InzetUren
from app.inzet.schemas import InzetInvoer, honderdsten
from app.kern.db import tabel_van, upsert, utcnow


def _vergrendel(session: Session, jaar: int, wijk: str, account_id: int | None) -> bool:
    """Make sure the wijk-year's row exists and hold its lock; True if it was new.

    A second replacement of the same wijk-year waits here until the first has committed, and
    then reads what the first stored: two at once cannot leave a mix of both.
    """
    t = tabel_van(Inzet)
    vinden = select(t.c.jaar).where(t.c.jaar == jaar, t.c.wijk == wijk).with_for_update()
    if session.execute(vinden).first() is not None:
        return False
    session.execute(
        upsert(t)
        .values(jaar=jaar, wijk=wijk, bijgewerkt_op=utcnow(), account_id=account_id)
        .on_conflict_do_nothing()
    )
    session.execute(vinden).one()
    return True


def _stand(session: Session, model: Any, code: str, waarde: str, jaar: int, wijk: str) -> Any:
    t = model.__table__
    rijen = session.execute(
        select(t.c[code], t.c[waarde]).where(t.c.jaar == jaar, t.c.wijk == wijk)
    )
    return {code_: n for code_, n in rijen}


def _wijzigingen(veld: str, oud: dict[str, int], nieuw: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "veld": f"{veld}.{code}",
            "oud": None if code not in oud else oud[code] / 100,
            "nieuw": None if code not in nieuw else nieuw[code] / 100,
        }
        for code in sorted(oud.keys() | nieuw.keys())
        if oud.get(code) != nieuw.get(code)
    ]


def vervang_inzet(
    session: Session, jaar: int, wijk: str, invoer: InzetInvoer, account_id: int | None
) -> int:
    """Store exactly this inzet for the wijk-year and commit; answers the rows written.

    The audit line holds what changed per uursoort or budgetpost (null where there was or is no
    row); replacing with the same figures writes no line.
    """
    eerste_keer = _vergrendel(session, jaar, wijk, account_id)
    uren = {u.soort: honderdsten(u.uren_per_week) for u in invoer.uren}
    bedragen = {b.post: honderdsten(b.euro) for b in invoer.bedragen}
    wijzigingen = _wijzigingen(
        "uren", _stand(session, InzetUren, "soort", "honderdste_uren", jaar, wijk), uren
    ) + _wijzigingen(
        "bedragen", _stand(session, InzetBedrag, "post", "centen", jaar, wijk), bedragen
    )
    if eerste_keer or wijzigingen:
        for model in (InzetUren, InzetBedrag):
            session.execute(delete(model).where(model.jaar == jaar, model.wijk == wijk))  # type: ignore[arg-type]
        session.add_all(
            [InzetUren(jaar=jaar, wijk=wijk, soort=s, honderdste_uren=n) for s, n in uren.items()]
            + [InzetBedrag(jaar=jaar, wijk=wijk, post=p, centen=n) for p, n in bedragen.items()]
        )
        inzet = session.get(Inzet, (jaar, wijk))
        assert inzet is not None
        inzet.bijgewerkt_op = utcnow()
        inzet.account_id = account_id
        session.add(inzet)
        schrijf_audit(session, "inzet_vastgelegd", account_id, f"{jaar}/{wijk}", wijzigingen)
    session.commit()
    return len(uren) + len(bedragen) if eerste_keer or wijzigingen else 0
