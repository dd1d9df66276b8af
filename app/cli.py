"""The `wijkcontact` command: the operator's interface."""

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from sqlmodel import col, func, select

from app.codelijsten.lijsten import laad_codelijsten
from app.db import make_engine, new_session
from app.gebieden.indeling import laad_gebiedsindeling
from app.migrate import upgrade
from app.settings import ConfiguratieFout, Settings, get_settings
from app.toegang.models import ROLLEN, Account, AccountWijk, Token
from app.toegang.tokens import AccountFout, maak_account, trek_in


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    # Loading the configuration first means a broken file stops us with one clear line.
    laad_gebiedsindeling(settings.gebiedsindeling)
    laad_codelijsten(settings.codelijsten)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with new_session(engine) as session:
        accounts = session.exec(select(func.count()).select_from(Account)).one()
    engine.dispose()
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
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=True,
    )


def _account_add(settings: Settings, naam: str, rol: str, wijken: Sequence[str]) -> None:
    indeling = laad_gebiedsindeling(settings.gebiedsindeling)
    engine = make_engine(settings.database_url)
    with new_session(engine) as session:
        account, token = maak_account(session, naam, rol, wijken, indeling.codes)
    engine.dispose()
    wijktekst = f" in wijk {', '.join(wijken)}" if wijken else ""
    print(f"Account {account.naam} ({account.rol}{wijktekst}) aangemaakt. Token:")
    print(token)


def _account_list(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with new_session(engine) as session:
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
    engine.dispose()
    if not accounts:
        print("Geen accounts.")
    for account in accounts:
        assert account.id is not None
        status = "actief" if account.actief else "ingetrokken"
        print(
            f"{account.naam}\t{account.rol}\t{','.join(sorted(wijken.get(account.id, []))) or '-'}"
            f"\t{status}\t{tokens.get(account.id, 0)} geldige tokens"
        )


def _account_revoke(settings: Settings, naam: str) -> None:
    engine = make_engine(settings.database_url)
    with new_session(engine) as session:
        aantal = trek_in(session, naam)
    engine.dispose()
    print(f"Account {naam} ingetrokken; {aantal} token(s) ongeldig gemaakt.")


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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wijkcontact", description="Beheer en start wijkcontact.")
    sub = p.add_subparsers(dest="opdracht", required=True)
    serve = sub.add_parser("serve", help="database bijwerken en de dienst starten")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    sub.add_parser("migrate", help="database bijwerken naar de nieuwste versie")
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
    acc.add_parser("list", help="accounts tonen")
    revoke = acc.add_parser("revoke", help="account en al zijn tokens intrekken")
    revoke.add_argument("naam")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = get_settings()
        if args.opdracht == "serve":
            _serve(settings, args.host, args.port, args.workers)
        elif args.opdracht == "demo":
            _demo(settings, args.gesprekken, args.jaar, args.seed)
        elif args.opdracht == "migrate":
            upgrade(settings.database_url)
            print("Database bijgewerkt naar de nieuwste versie.")
        elif args.actie == "add":
            _account_add(settings, args.naam, args.rol, args.wijk)
        elif args.actie == "list":
            _account_list(settings)
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
