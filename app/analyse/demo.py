"""Synthetic registrations for demonstrations and benchmarks: `wijkcontact demo`.

Writes straight into the tables in large batches (not through the API, and through
app/kern/bulk.py: COPY on PostgreSQL), so that a million gesprekken take well under a minute,
and fills the summary tables with the same counting function the
service uses (`onderhoud.bijdrage`), so that the result is what registering them one by one
would have given.
"""

import hashlib
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.analyse.kubus import bijdrage_kubus
from app.analyse.models import AnalyseTraject
from app.analyse.onderhoud import TEL_OP, Sleutel, begindatum, bijdrage, deel_van
from app.analyse.wachtrij import tel_op_kubus
from app.codelijsten.lijsten import WARME_OVERDRACHT, Codelijsten
from app.gebieden.indeling import Gebiedsindeling
from app.kern.bulk import laden, voeg_in
from app.kern.db import tabel_van
from app.kern.idempotentie import VERZOEK_HASH_BYTES
from app.kern.optellen import tel_op
from app.toegang.models import Account, AccountWijk
from app.trajecten.codes import ALFABET, LENGTE
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.schemas import Overdrachtstatus
from app.trajecten.stand import GesprekStand, OverdrachtStand, TrajectStand

BATCH = 20_000  # trajecten per transaction: bounded memory and write lock, few commits
TELLERS_PER_STATEMENT = 5_000
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


def _kies(
    rnd: random.Random, waarden: Sequence[Any], gewichten: Sequence[float]
) -> Callable[..., list[Any]]:
    """`k` weighted choices; cumulative weights once, not on every call."""
    cumulatief = list(accumulate(gewichten))
    return lambda k=1: rnd.choices(waarden, cum_weights=cumulatief, k=k)


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


_t, _g, _gv, _o, _a = (
    tabel_van(m) for m in (Traject, Gesprek, GesprekVraagtype, Overdracht, AnalyseTraject)
)


def _codes(bestaand: set[str], rnd: random.Random) -> Iterator[str]:
    while True:
        code = "".join(rnd.choices(ALFABET, k=LENGTE))
        if code not in bestaand:
            bestaand.add(code)
            yield code


class _Populatie:
    """The synthetic population's distributions, drawn a batch at a time.

    Every attribute of a batch is drawn in one call (`choices(k=n)` over cumulative weights
    computed once) instead of one call per traject or gesprek.
    """

    def __init__(
        self,
        rnd: random.Random,
        indeling: Gebiedsindeling,
        codelijsten: Codelijsten,
        jaar: int,
        accounts: dict[str, int],
        codes: Iterator[str],
    ) -> None:
        self.rnd, self.accounts, self.codes = rnd, accounts, codes
        self.gisteren = date.today() - timedelta(days=1)
        eerste, laatste = date(jaar, 1, 1), min(date(jaar, 12, 31), self.gisteren)
        if laatste < eerste:
            raise ValueError(f"{jaar} ligt in de toekomst")
        dagen = [eerste + timedelta(days=i) for i in range((laatste - eerste).days + 1)]
        daggewicht = [MAANDGEWICHT[d.month - 1] * (0.3 if d.weekday() >= 5 else 1) for d in dagen]
        self.negen_uur = {d: datetime(d.year, d.month, d.day, 9, tzinfo=UTC) for d in dagen}
        lijst = {naam: codelijsten.codes(naam) for naam in codelijsten.lijsten}
        gewicht = {naam: _zipf(len(codes)) for naam, codes in lijst.items()}
        afhandelingen = [a for a in lijst["afhandelingen"] if a != WARME_OVERDRACHT]
        doelen = codelijsten.lijsten["overdrachtdoelen"]
        self.hash = hashlib.sha256(b"demo").digest()[:VERZOEK_HASH_BYTES]
        self.kies_wijk = _kies(
            rnd, [w.code for w in indeling.wijken], [len(w.buurtcodes) + 2 for w in indeling.wijken]
        )
        self.kies_lengte = _kies(rnd, [1, 2, 3, 4, 5], LENGTEGEWICHT)
        self.kies_dag = _kies(rnd, dagen, daggewicht)
        # Days between two gesprekken of a traject: uniform over 3 to 35.
        self.kies_pauze = _kies(rnd, [timedelta(days=n) for n in range(3, 36)], [1] * 33)
        self.kies_aantal_v = _kies(rnd, [1, 2, 3], [60, 30, 10])
        self.kies_vraagtypen = _kies(rnd, lijst["vraagtypen"], gewicht["vraagtypen"])
        self.kies_locatie = _kies(rnd, lijst["locaties"], gewicht["locaties"])
        self.kies_afhandeling = _kies(rnd, afhandelingen, _zipf(len(afhandelingen)))
        self.kies_leeftijd = _kies(rnd, lijst["leeftijdsgroepen"], LEEFTIJDGEWICHT)
        self.kies_instroom = _kies(rnd, lijst["instroomroutes"], gewicht["instroomroutes"])
        self.kies_doel = _kies(rnd, [d.code for d in doelen],
                               [3 if d.niveau == "voorliggend" else 2 for d in doelen])  # fmt: skip

    def _id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rnd.getrandbits(128), version=4)

    def trajecten(self, gesprekken: int) -> list[TrajectStand]:
        """At most BATCH trajecten holding at most `gesprekken` gesprekken together."""
        rnd = self.rnd
        lengtes: list[int] = []
        samen = 0
        for lengte in self.kies_lengte(BATCH):
            if samen >= gesprekken:
                break
            lengte = min(lengte, gesprekken - samen)
            lengtes.append(lengte)
            samen += lengte
        n = len(lengtes)
        wijken, dagen = self.kies_wijk(n), self.kies_dag(n)
        leeftijden, instroom = self.kies_leeftijd(n), self.kies_instroom(n)
        aantallen_v = self.kies_aantal_v(samen)
        vraagtypen = self.kies_vraagtypen(sum(aantallen_v))
        locaties, afhandelingen = self.kies_locatie(samen), self.kies_afhandeling(samen)
        pauzes = self.kies_pauze(samen)
        g = v = 0  # the next gesprek's and vraagtype's draw
        trajecten: list[TrajectStand] = []
        for i, lengte in enumerate(lengtes):
            wijk, dag = wijken[i], dagen[i]
            account, aangemaakt = self.accounts[wijk], self.negen_uur[dag]
            gesprekken_t: list[GesprekStand] = []
            for volgnummer in range(1, lengte + 1):
                if volgnummer > 1:
                    dag = min(dag + pauzes[g], self.gisteren)
                gesprekken_t.append(GesprekStand(
                    self._id(), volgnummer, dag, locaties[g], afhandelingen[g],
                    sorted(set(vraagtypen[v : v + aantallen_v[g]])),
                    account, self.hash, aangemaakt,
                ))  # fmt: skip
                v += aantallen_v[g]
                g += 1
            traject = TrajectStand(
                self._id(), next(self.codes), wijk, leeftijden[i], instroom[i], "open",
                account, self.hash, aangemaakt, None, gesprekken_t,
            )  # fmt: skip
            einde = rnd.random()
            laatste = gesprekken_t[-1]
            if einde < 0.25:  # warm handover in the last gesprek
                laatste.afhandeling = WARME_OVERDRACHT
                traject.overdracht = self._overdracht(laatste.id, True, aangemaakt)
            elif einde < 0.30:  # handover recorded afterwards, not always warm
                traject.overdracht = self._overdracht(None, rnd.random() < 0.6, aangemaakt)
            elif einde < 0.85:
                traject.status = "afgerond"
            if traject.overdracht is not None:
                traject.status = "overgedragen"
            if traject.status != "open":
                traject.afgesloten_op = aangemaakt
            trajecten.append(traject)
        return trajecten

    def _overdracht(
        self, gesprek_id: uuid.UUID | None, warm: bool, op: datetime
    ) -> OverdrachtStand:
        status: Overdrachtstatus = self.rnd.choice(["aangemeld", "geaccepteerd", "geaccepteerd"])
        return OverdrachtStand(self.kies_doel()[0], warm, status, gesprek_id, op, op)


# Columns named, not taken in table order: a column added later fails loudly here.
_KOLOMMEN: dict[Table, list[str]] = {
    _t: ["id", "code", "wijk", "leeftijdsgroep", "instroomroute", "status", "account_id",
         "verzoek_hash", "aangemaakt_op", "afgesloten_op"],
    _g: ["id", "traject_id", "volgnummer", "datum", "locatie", "afhandeling", "account_id",
         "verzoek_hash", "aangemaakt_op"],
    _gv: ["gesprek_id", "vraagtype"],
    _o: ["traject_id", "gesprek_id", "doel", "warm", "status", "vastgelegd_op", "bijgewerkt_op"],
    _a: ["traject_id", "begindatum"],
}  # fmt: skip


@dataclass
class _Batch:
    """One transaction's rows per table (in _KOLOMMEN's order) and its counter rows."""

    rijen: dict[Table, list[tuple[Any, ...]]]
    tellers: list[tuple[Any, ...]]
    kubus: Counter[tuple[Any, ...]]
    resultaat: DemoResultaat


def _batch(populatie: _Populatie, gesprekken: int) -> _Batch:
    trajecten = populatie.trajecten(gesprekken)
    paren = [(t.id, g) for t in trajecten for g in t.gesprekken]
    rijen: dict[Table, list[tuple[Any, ...]]] = {
        _t: [(t.id, t.code, t.wijk, t.leeftijdsgroep, t.instroomroute, t.status, t.account_id,
              t.verzoek_hash, t.aangemaakt_op, t.afgesloten_op) for t in trajecten],
        _g: [(g.id, tid, g.volgnummer, g.datum, g.locatie, g.afhandeling, g.account_id,
              g.verzoek_hash, g.aangemaakt_op) for tid, g in paren],
        _gv: [(g.id, v) for _, g in paren for v in g.vraagtypen],
        _o: [(t.id, o.gesprek_id, o.doel, o.warm, o.status, o.vastgelegd_op, o.bijgewerkt_op)
             for t in trajecten if (o := t.overdracht) is not None],
        _a: [(t.id, begindatum(t)) for t in trajecten],
    }  # fmt: skip
    # The service's own counting rules, traject by traject (`bijdrage`), so that the summary
    # tables equal a recount by construction; summed per counter row (`elements` keeps the
    # summing in C) before they are written.
    per_deel: dict[int, Counter[Sleutel]] = defaultdict(Counter)
    for t in trajecten:
        per_deel[deel_van(t.id)].update(bijdrage(t).elements())
    tellers = [(*s, deel, n) for deel, teller in per_deel.items() for s, n in teller.items()]
    kubus = bijdrage_kubus(trajecten)
    resultaat = DemoResultaat(len(trajecten), len(paren), len(rijen[_o]))
    return _Batch(rijen, tellers, kubus, resultaat)


def _schrijf(verbinding: Connection, batch: _Batch) -> None:
    for tabel, rijen in batch.rijen.items():
        voeg_in(verbinding, tabel, rijen, _KOLOMMEN[tabel])
    # One JSON array per statement: bounded, however many codes a gemeente's lists hold.
    tellers = batch.tellers
    for begin in range(0, len(tellers), TELLERS_PER_STATEMENT):
        tel_op(verbinding, TEL_OP, tellers[begin : begin + TELLERS_PER_STATEMENT])
    tel_op_kubus(verbinding, batch.kubus)
    verbinding.commit()


def vul_demo(
    engine: Engine,
    indeling: Gebiedsindeling,
    codelijsten: Codelijsten,
    gesprekken: int,
    jaar: int,
    seed: int = 1,
) -> DemoResultaat:
    """Add `gesprekken` synthetic gesprekken whose trajecten start in `jaar`.

    One transaction per batch, each with its own additions to the summary tables: a service
    running beside it sees figures that agree with the rows at every moment, and can write
    between two batches. (Making the next batch in a second thread while one is written was
    slower: SQLite's executemany takes the GIL back for every row, and waits for it.)
    """
    rnd = random.Random(seed)
    with Session(engine) as session:
        accounts = demo_accounts(session, indeling)
    totaal = DemoResultaat(0, 0, 0)
    with engine.connect() as verbinding, laden(verbinding):
        bestaand = set(verbinding.execute(select(_t.c.code)).scalars())
        populatie = _Populatie(rnd, indeling, codelijsten, jaar, accounts, _codes(bestaand, rnd))
        while totaal.gesprekken < gesprekken:
            batch = _batch(populatie, gesprekken - totaal.gesprekken)
            _schrijf(verbinding, batch)
            totaal.trajecten += batch.resultaat.trajecten
            totaal.gesprekken += batch.resultaat.gesprekken
            totaal.overdrachten += batch.resultaat.overdrachten
    return totaal
