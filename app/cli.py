"""The `wijkcontact` command: the operator's interface."""

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from app.codelijsten.lijsten import laad_codelijsten
from app.gebieden.indeling import laad_gebiedsindeling
from app.kern.db import make_engine, new_session
from app.kern.migrate import upgrade
from app.kern.request_log import configure_output
from app.kern.settings import ConfiguratieFout, Settings, get_settings
from app.toegang.models import ROLLEN, Account, AccountWijk, Token
from app.toegang.tokens import (
    AccountFout,
    maak_account,
    nieuwe_sleutel,
    sleutels,
    trek_in,
    trek_sleutel_in,
    zet_wachtwoord,
)


@contextmanager
def _database(settings: Settings) -> Iterator[Session]:
    """One session for one command; the engine goes with it."""
    engine = make_engine(settings.database_url)
    try:
        with new_session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    configure_output()
    # Loading the configuration first means a broken file stops us with one clear line.
    laad_gebiedsindeling(settings.gebiedsindeling)
    laad_codelijsten(settings.codelijsten)
    upgrade(settings.database_url)
    with _database(settings) as session:
        accounts = session.exec(select(func.count()).select_from(Account)).one()
    if accounts == 0:
        commando = sys.argv[0] if sys.argv[0].endswith("wijkcontact") else "wijkcontact"
        print(
            "Er zijn nog geen accounts. Maak een eerste preventiewerker aan met bijvoorbeeld:\n"
            f"  {commando} account add demo --rol preventiewerker --wijk 09\n"
            "De laatste regel is het token: stuur het mee als 'Authorization: Bearer <token>'.",
            flush=True,
        )
    print(f"wijkcontact luistert op http://{host}:{port} (API onder /api/v1)", flush=True)
    uvicorn.run(
        "app.main:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # uvicorn's access line holds the client address and the full path with its query
        # string: trajectcodes, an `access_token` someone put in a URL. RequestLog writes what
        # the operator needs (route template, status, duration) instead. Each worker process
        # applies this from the same Config.
        access_log=False,
        proxy_headers=bool(settings.vertrouwde_proxies),
        forwarded_allow_ips=settings.vertrouwde_proxies,
    )


def _lees_wachtwoord() -> str:
    # One line from standard input, so that it never shows in the process list or history.
    regel = sys.stdin.readline()
    if not regel:
        raise AccountFout("geen wachtwoord op standaardinvoer ontvangen")
    return regel.rstrip("\r\n")


def _account_add(
    settings: Settings, naam: str, rol: str, wijken: Sequence[str], met_wachtwoord: bool
) -> None:
    indeling = laad_gebiedsindeling(settings.gebiedsindeling)
    wachtwoord = _lees_wachtwoord() if met_wachtwoord else None
    with _database(settings) as session:
        account, token = maak_account(session, naam, rol, wijken, indeling.codes, wachtwoord)
    wijktekst = f" in wijk {', '.join(wijken)}" if wijken else ""
    print(f"Account {account.naam} ({account.rol}{wijktekst}) aangemaakt. Token:")
    print(token)


def _account_list(settings: Settings) -> None:
    with _database(settings) as session:
        accounts = session.exec(select(Account).order_by(col(Account.naam))).all()
        wijken: dict[int, list[str]] = {}
        for account_id, wijk in session.exec(select(AccountWijk.account_id, AccountWijk.wijk)):
            wijken.setdefault(account_id, []).append(wijk)
        tokens = dict(
            session.exec(
                select(Token.account_id, func.count())
                .where(col(Token.ingetrokken_op).is_(None))
                .group_by(col(Token.account_id))
            ).all()
        )
    if not accounts:
        print("Geen accounts.")
    for account in accounts:
        assert account.id is not None
        status = "actief" if account.actief else "ingetrokken"
        wachtwoord = "wachtwoord" if account.wachtwoord_hash else "geen wachtwoord"
        print(
            f"{account.naam}\t{account.rol}\t{','.join(sorted(wijken.get(account.id, []))) or '-'}"
            f"\t{status}\t{wachtwoord}\t{tokens.get(account.id, 0)} geldige tokens"
        )


def _account_revoke(settings: Settings, naam: str) -> None:
    with _database(settings) as session:
        aantal = trek_in(session, naam)
    print(f"Account {naam} ingetrokken; {aantal} token(s) ongeldig gemaakt.")


def _account_wachtwoord(settings: Settings, naam: str) -> None:
    wachtwoord = _lees_wachtwoord()
    with _database(settings) as session:
        beeindigd = zet_wachtwoord(session, naam, wachtwoord)
    print(
        f"Wachtwoord van {naam} gezet; {beeindigd} open sessie(s) beëindigd. "
        f"API-sleutels blijven geldig: zie 'wijkcontact account sleutels {naam}'."
    )


def _datum(tekst: str) -> date:
    try:
        return date.fromisoformat(tekst)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen datum als JJJJ-MM-DD: {tekst!r}") from None


def _account_sleutel(settings: Settings, naam: str, verloopt: date | None) -> None:
    # The key stops working when that day begins where the service works, as "verloopt op"
    # reads: on that date it no longer works.
    verloopt_op = (
        datetime(verloopt.year, verloopt.month, verloopt.day, tzinfo=ZoneInfo(settings.tijdzone))
        if verloopt
        else None
    )
    with _database(settings) as session:
        token = nieuwe_sleutel(session, naam, verloopt_op)
    looptijd = f", verloopt op {verloopt.isoformat()}" if verloopt else ", zonder einddatum"
    print(f"Nieuwe API-sleutel voor {naam}{looptijd}:")
    print(token)


def _account_sleutels(settings: Settings, naam: str) -> None:
    zone = ZoneInfo(settings.tijdzone)
    with _database(settings) as session:
        lijst = sleutels(session, naam)
    if not lijst:
        print(f"Account {naam} heeft geen API-sleutels.")
        return
    print("id\taangemaakt\tverloopt op\tstatus")
    for sleutel in lijst:
        aangemaakt = sleutel.aangemaakt_op.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        verloopt = (
            sleutel.verloopt_op.astimezone(zone).date().isoformat() if sleutel.verloopt_op else "-"
        )
        print(f"{sleutel.id}\t{aangemaakt}\t{verloopt}\t{sleutel.status}")


def _account_sleutel_intrekken(settings: Settings, naam: str, sleutel_id: int) -> None:
    with _database(settings) as session:
        ingetrokken = trek_sleutel_in(session, naam, sleutel_id)
    if ingetrokken:
        print(f"Sleutel {sleutel_id} van {naam} ingetrokken; die geeft nu meteen 401.")
    else:
        print(f"Sleutel {sleutel_id} van {naam} was al ingetrokken.")


def _demo(settings: Settings, gesprekken: int, jaar: int, seed: int) -> None:
    import time

    from app.analyse.demo import vul_demo

    indeling = laad_gebiedsindeling(settings.gebiedsindeling)
    codelijsten = laad_codelijsten(settings.codelijsten)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    begin = time.monotonic()
    resultaat = vul_demo(engine, indeling, codelijsten, gesprekken, jaar, seed)
    engine.dispose()
    print(
        f"{resultaat.gesprekken} gesprekken in {resultaat.trajecten} trajecten "
        f"({resultaat.overdrachten} overdrachten) toegevoegd voor {jaar}, "
        f"in {time.monotonic() - begin:.0f} s."
    )
    # The other parts of the analysis, for this year and the one before it to compare with.
    from app.activiteiten import demo as activiteiten
    from app.beschikkingen import demo as beschikkingen
    from app.ervaring import demo as ervaring
    from app.indicatoren import demo as indicatoren
    from app.inzet import demo as inzet
    from app.main import create_app

    delen = {
        "inzet": inzet.vul_demo,
        "activiteiten": activiteiten.vul_demo,
        "effectindicatoren": indicatoren.vul_demo,
        "ervaring": ervaring.vul_demo,
        "beschikkingen": beschikkingen.vul_demo,
    }
    context = create_app(settings).state.context
    try:
        with new_session(context.engine) as session:
            for naam, vul in delen.items():
                rijen = sum(vul(session, context, j, seed) for j in (jaar - 1, jaar))
                print(f"{naam}: {rijen} rijen toegevoegd voor {jaar - 1} en {jaar}.")
    finally:
        context.engine.dispose()


def served_document() -> dict[str, Any]:
    """The document exactly as /api/v1/openapi.json serves it, on default settings."""
    import warnings

    with warnings.catch_warnings():
        # Starlette's nudge towards httpx2 (a UserWarning); httpx is what the tests use too.
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(Settings(database_url="sqlite://", _env_file=None))
    response = TestClient(app).get("/api/v1/openapi.json")
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def _openapi(pad: Path, alleen_controleren: bool) -> int:
    tekst = json.dumps(served_document(), indent=2, ensure_ascii=False) + "\n"
    if alleen_controleren:
        if not pad.exists() or pad.read_text(encoding="utf-8") != tekst:
            print(f"{pad} wijkt af van wat de dienst serveert; draai 'make openapi'.")
            return 1
        print(f"{pad} is gelijk aan wat de dienst serveert.")
        return 0
    pad.write_text(tekst, encoding="utf-8")
    print(f"{pad} bijgewerkt.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wijkcontact", description="Beheer en start wijkcontact.")
    sub = p.add_subparsers(dest="opdracht", required=True)
    serve = sub.add_parser("serve", help="database bijwerken en de dienst starten")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=None, help="serverprocessen (standaard: WIJKCONTACT_WORKERS)"
    )
    sub.add_parser("migrate", help="database bijwerken naar de nieuwste versie")
    openapi = sub.add_parser(
        "openapi", help="het OpenAPI-document van deze versie schrijven of controleren"
    )
    openapi.add_argument("--check", action="store_true", help="alleen controleren, niet schrijven")
    openapi.add_argument("pad", nargs="?", type=Path, default=Path("openapi/openapi.json"))
    demo = sub.add_parser("demo", help="synthetische registraties toevoegen (demo, benchmark)")
    demo.add_argument("--gesprekken", type=int, required=True, metavar="N")
    demo.add_argument(
        "--jaar", type=int, default=date.today().year - 1, help="standaard vorig jaar"
    )
    demo.add_argument("--seed", type=int, default=1, help="zelfde seed, zelfde registraties")
    account = sub.add_parser("account", help="accounts beheren")
    acc = account.add_subparsers(dest="actie", required=True)
    add = acc.add_parser("add", help="account aanmaken; de laatste regel is het token")
    add.add_argument("naam")
    add.add_argument("--rol", required=True, choices=ROLLEN)
    add.add_argument("--wijk", action="append", default=[], metavar="CODE")
    add.add_argument(
        "--wachtwoord-stdin", action="store_true", help="wachtwoord (één regel) van stdin lezen"
    )
    acc.add_parser("list", help="accounts tonen")
    wachtwoord = acc.add_parser("wachtwoord", help="wachtwoord (her)instellen, van stdin")
    wachtwoord.add_argument("naam")
    sleutel = acc.add_parser("sleutel", help="nieuwe API-sleutel; de laatste regel is de sleutel")
    sleutel.add_argument("naam")
    sleutel.add_argument(
        "--verloopt-op",
        type=_datum,
        metavar="JJJJ-MM-DD",
        help="vanaf die dag werkt de sleutel niet meer (standaard: geen einddatum)",
    )
    lijst = acc.add_parser("sleutels", help="API-sleutels van een account: id, datums en status")
    lijst.add_argument("naam")
    intrekken = acc.add_parser(
        "sleutel-intrekken", help="één API-sleutel intrekken (id uit sleutels)"
    )
    intrekken.add_argument("naam")
    intrekken.add_argument("id", type=int)
    revoke = acc.add_parser("revoke", help="account en al zijn tokens intrekken")
    revoke.add_argument("naam")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.opdracht == "openapi":
        # The contract of this version, whatever this machine's WIJKCONTACT_ settings say.
        return _openapi(args.pad, args.check)
    try:
        settings = get_settings()
    except ValidationError as fout:
        # A wrong WIJKCONTACT_ setting: one line each, named as the operator writes it.
        for fouten in fout.errors():
            naam = "WIJKCONTACT_" + str(fouten["loc"][0]).upper() if fouten["loc"] else "?"
            reden = fouten["msg"].removeprefix("Value error, ")
            print(f"wijkcontact: ongeldige instelling {naam}: {reden}", file=sys.stderr)
        return 2
    try:
        if args.opdracht == "serve":
            _serve(settings, args.host, args.port, args.workers or settings.workers)
        elif args.opdracht == "demo":
            _demo(settings, args.gesprekken, args.jaar, args.seed)
        elif args.opdracht == "migrate":
            upgrade(settings.database_url)
            print("Database bijgewerkt naar de nieuwste versie.")
        elif args.actie == "add":
            _account_add(settings, args.naam, args.rol, args.wijk, args.wachtwoord_stdin)
        elif args.actie == "list":
            _account_list(settings)
        elif args.actie == "wachtwoord":
            _account_wachtwoord(settings, args.naam)
        elif args.actie == "sleutel":
            _account_sleutel(settings, args.naam, args.verloopt_op)
        elif args.actie == "sleutels":
            _account_sleutels(settings, args.naam)
        elif args.actie == "sleutel-intrekken":
            _account_sleutel_intrekken(settings, args.naam, args.id)
        else:
            _account_revoke(settings, args.naam)
    except ConfiguratieFout as fout:
        print(f"wijkcontact: configuratiefout: {fout}", file=sys.stderr)
        return 2
    except AccountFout as fout:
        print(f"wijkcontact: {fout}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
