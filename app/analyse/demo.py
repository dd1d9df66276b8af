"""Synthetic registrations for demonstrations and benchmarks: `wijkcontact demo`.

Writes straight into the tables in large batches (not through the API), so that a million
gesprekken take minutes, and fills the summary tables with the same counting function the
service uses (`onderhoud.bijdrage`), so that the result is what registering them one by one
would have given.
"""

import hashlib
import random
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.analyse.models import AnalyseTraject
from app.analyse.onderhoud import TEL_OP, bijdrage, deel_van
from app.codelijsten.lijsten import WARME_OVERDRACHT, Codelijsten
from app.gebieden.indeling import Gebiedsindeling
from app.kern.idempotentie import VERZOEK_HASH_BYTES
from app.kern.optellen import tel_op
from app.toegang.models import Account, AccountWijk
from app.trajecten.codes import ALFABET, LENGTE
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.stand import GesprekStand, OverdrachtStand, TrajectStand

BATCH = 20_000  # trajecten per transaction: bounded memory, few round trips
# Quieter in the summer holidays and around Christmas.
MAANDGEWICHT = [10, 10, 11, 10, 9, 9, 6, 5, 10, 11, 11, 8]
LENGTEGEWICHT = [45, 25, 15, 8, 7]  # gesprekken per traject, 1..5
LEEFTIJDGEWICHT = [2, 4, 6, 10, 18, 20, 20, 14, 6]


@dataclass
class DemoResultaat:
    trajecten: int
    gesprekken: int
    overdrachten: int


def _zipf(n: int) -> list[float]:
    """A few codes are common, most are rare, as in real registrations."""
    return [1 / (i + 1) ** 0.9 for i in range(n)]


def _kies(rnd: random.Random, waarden: Sequence[Any], gewichten: Sequence[float]) -> Any:
    """A weighted choice; cumulative weights once, not on every call (a million calls)."""
    cumulatief = list(accumulate(gewichten))
    return lambda k=1: rnd.choices(waarden, cum_weights=cumulatief, k=k)


def _tabel(model: Any) -> Any:
    return model.__table__


def _als_stand(
    traject: dict[str, Any], gesprekken: list[dict[str, Any]], overdracht: dict[str, Any] | None
) -> TrajectStand:
    """The rows about to be inserted, as the registration's state: what `bijdrage` counts."""
    return TrajectStand(
        **traject,
        gesprekken=[
            GesprekStand(
                **g,
                account_id=traject["account_id"],
                verzoek_hash=traject["verzoek_hash"],
                aangemaakt_op=traject["aangemaakt_op"],
            )
            for g in gesprekken
        ],
        overdracht=None
        if overdracht is None
        else OverdrachtStand(
            **{k: v for k, v in overdracht.items() if k != "traject_id"},
        ),
    )


def demo_accounts(session: Session, indeling: Gebiedsindeling) -> dict[str, int]:
    """One demo preventiewerker per wijk (made once, without a token)."""
    ids: dict[str, int] = {}
    for wijk in indeling.wijken:
        naam = f"demo-{wijk.code}"
        account = session.scalars(select(Account).where(col(Account.naam) == naam)).first()
        if account is None:
            account = Account(naam=naam, rol="preventiewerker")
            session.add(account)
            session.flush()
            assert account.id is not None
            session.add(AccountWijk(account_id=account.id, wijk=wijk.code))
        assert account.id is not None
        ids[wijk.code] = account.id
    session.commit()
    return ids


def _codes(session: Session, rnd: random.Random) -> Iterator[str]:
    bestaand = set(session.execute(select(_tabel(Traject).c.code)).scalars())
    while True:
        code = "".join(rnd.choices(ALFABET, k=LENGTE))
        if code not in bestaand:
            bestaand.add(code)
            yield code


def vul_demo(
    engine: Engine,
    indeling: Gebiedsindeling,
    codelijsten: Codelijsten,
    gesprekken: int,
    jaar: int,
    seed: int = 1,
) -> DemoResultaat:
    """Add `gesprekken` synthetic gesprekken whose trajecten start in `jaar`."""
    rnd = random.Random(seed)
    gisteren = date.today() - timedelta(days=1)
    eerste, laatste = date(jaar, 1, 1), min(date(jaar, 12, 31), gisteren)
    if laatste < eerste:
        raise ValueError(f"{jaar} ligt in de toekomst")
    dagen = [eerste + timedelta(days=i) for i in range((laatste - eerste).days + 1)]
    daggewicht = [MAANDGEWICHT[d.month - 1] * (0.3 if d.weekday() >= 5 else 1) for d in dagen]
    wijken = [w.code for w in indeling.wijken]
    wijkgewicht = [len(w.buurtcodes) + 2 for w in indeling.wijken]
    lijst = {naam: codelijsten.codes(naam) for naam in codelijsten.lijsten}
    gewicht = {naam: _zipf(len(codes)) for naam, codes in lijst.items()}
    afhandelingen = [a for a in lijst["afhandelingen"] if a != WARME_OVERDRACHT]
    afhandelinggewicht = _zipf(len(afhandelingen))
    doelen = codelijsten.lijsten["overdrachtdoelen"]
    doelgewicht = [3 if d.niveau == "voorliggend" else 2 for d in doelen]
    hash_ = hashlib.sha256(b"demo").digest()[:VERZOEK_HASH_BYTES]
    kies_wijk = _kies(rnd, wijken, wijkgewicht)
    kies_lengte = _kies(rnd, [1, 2, 3, 4, 5], LENGTEGEWICHT)
    kies_dag = _kies(rnd, dagen, daggewicht)
    kies_aantal_v = _kies(rnd, [1, 2, 3], [60, 30, 10])
    kies_vraagtypen = _kies(rnd, lijst["vraagtypen"], gewicht["vraagtypen"])
    kies_locatie = _kies(rnd, lijst["locaties"], gewicht["locaties"])
    kies_afhandeling = _kies(rnd, afhandelingen, afhandelinggewicht)
    kies_leeftijd = _kies(rnd, lijst["leeftijdsgroepen"], LEEFTIJDGEWICHT)
    kies_instroom = _kies(rnd, lijst["instroomroutes"], gewicht["instroomroutes"])
    kies_doel = _kies(rnd, doelen, doelgewicht)

    totaal = DemoResultaat(0, 0, 0)
    with Session(engine) as session:
        accounts = demo_accounts(session, indeling)
        codes = _codes(session, rnd)
        rest = gesprekken
        while rest > 0:
            trajecten: list[dict[str, Any]] = []
            rijen_g: list[dict[str, Any]] = []
            rijen_v: list[dict[str, Any]] = []
            rijen_o: list[dict[str, Any]] = []
            rijen_a: list[dict[str, Any]] = []
            tellingen: Counter[tuple[int, str, str, str, int]] = Counter()
            while rest > 0 and len(trajecten) < BATCH:
                tid = uuid.UUID(int=rnd.getrandbits(128), version=4)
                wijk = kies_wijk()[0]
                lengte = min(kies_lengte()[0], rest)
                rest -= lengte
                dag = kies_dag()[0]
                aangemaakt = datetime(dag.year, dag.month, dag.day, 9, tzinfo=UTC)
                gesprekken_t = []
                for volgnummer in range(1, lengte + 1):
                    if volgnummer > 1:
                        dag = min(dag + timedelta(days=rnd.randint(3, 35)), gisteren)
                    aantal_v = kies_aantal_v()[0]
                    vraagtypen = set(kies_vraagtypen(aantal_v))
                    gesprekken_t.append({
                        "id": uuid.UUID(int=rnd.getrandbits(128), version=4),
                        "volgnummer": volgnummer, "datum": dag,
                        "locatie": kies_locatie()[0],
                        "afhandeling": kies_afhandeling()[0],
                        "vraagtypen": sorted(vraagtypen),
                    })  # fmt: skip
                traject = {
                    "id": tid, "code": next(codes), "wijk": wijk,
                    "leeftijdsgroep": kies_leeftijd()[0],
                    "instroomroute": kies_instroom()[0],
                    "status": "open", "account_id": accounts[wijk], "verzoek_hash": hash_,
                    "aangemaakt_op": aangemaakt, "afgesloten_op": None,
                }  # fmt: skip
                overdracht = None
                einde = rnd.random()
                laatste_gesprek = gesprekken_t[-1]
                if einde < 0.25:  # warm handover in the last gesprek
                    laatste_gesprek["afhandeling"] = WARME_OVERDRACHT
                    overdracht = {"gesprek_id": laatste_gesprek["id"], "warm": True}
                elif einde < 0.30:  # handover recorded afterwards, not always warm
                    overdracht = {"gesprek_id": None, "warm": rnd.random() < 0.6}
                elif einde < 0.85:
                    traject["status"] = "afgerond"
                if overdracht is not None:
                    traject["status"] = "overgedragen"
                    overdracht |= {
                        "traject_id": tid,
                        "doel": kies_doel()[0].code,
                        "status": rnd.choice(["aangemeld", "geaccepteerd", "geaccepteerd"]),
                        "vastgelegd_op": aangemaakt, "bijgewerkt_op": aangemaakt,
                    }  # fmt: skip
                    rijen_o.append(overdracht)
                if traject["status"] != "open":
                    traject["afgesloten_op"] = aangemaakt
                trajecten.append(traject)
                for g in gesprekken_t:
                    rijen_g.append({
                        "id": g["id"], "traject_id": tid, "volgnummer": g["volgnummer"],
                        "datum": g["datum"], "locatie": g["locatie"],
                        "afhandeling": g["afhandeling"], "account_id": accounts[wijk],
                        "verzoek_hash": hash_, "aangemaakt_op": aangemaakt,
                    })  # fmt: skip
                    rijen_v.extend({"gesprek_id": g["id"], "vraagtype": v} for v in g["vraagtypen"])
                deel = deel_van(tid)
                eigen = bijdrage(_als_stand(traject, gesprekken_t, overdracht))
                for (j, w, kenmerk, code), n in eigen.items():
                    tellingen[(j, w, kenmerk, code, deel)] += n
                rijen_a.append(
                    {"traject_id": tid, "begindatum": min(g["datum"] for g in gesprekken_t)}
                )
            session.execute(_tabel(Traject).insert(), trajecten)
            session.execute(_tabel(Gesprek).insert(), rijen_g)
            session.execute(_tabel(GesprekVraagtype).insert(), rijen_v)
            if rijen_o:
                session.execute(_tabel(Overdracht).insert(), rijen_o)
            session.execute(_tabel(AnalyseTraject).insert(), rijen_a)
            tel_op(session, TEL_OP, [(*sleutel, n) for sleutel, n in tellingen.items()])
            session.commit()
            totaal.trajecten += len(trajecten)
            totaal.gesprekken += len(rijen_g)
            totaal.overdrachten += len(rijen_o)
    return totaal
