"""A throwaway PostgreSQL server for the test session: initdb on a temp dir, a free port."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    raise RuntimeError(
        "PostgreSQL ontbreekt: installeer het (apt-get install postgresql) of zet "
        "WIJKCONTACT_TEST_POSTGRES_URL op een bestaande server."
    )


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Yields a superuser URL to a fresh server; the server and its files go afterwards."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="wijkcontact-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    # initdb refuses to run as root; CI runs as root, so hand the files to 'postgres'.
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, cwd=root)

    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "wijkcontact",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
    )
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(root / "log"),
        "-o",
        options,
        "-w",
        "start",
    )
    try:
        yield f"postgresql+psycopg://wijkcontact@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            cwd=root,
        )
        shutil.rmtree(root, ignore_errors=True)
