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


class PostgresServer:
    """A PostgreSQL server of our own on a temp dir and a free port, that tests may stop."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="wijkcontact-pg-"))
        self.data, self.sockets = self.root / "data", self.root / "sock"
        self.sockets.mkdir()
        # initdb refuses to run as root; CI runs as root, so hand the files to 'postgres'.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        self.port = free_port()
        self.url = f"postgresql+psycopg://wijkcontact@127.0.0.1:{self.port}/postgres"
        self._run(
            "initdb", "-D", str(self.data), "-U", "wijkcontact", "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip

    @staticmethod
    def bindir_static() -> Path:
        return _bindir()

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / program), *args],
            check=check, capture_output=True, cwd=self.root,
        )  # fmt: skip

    def start(self, durable: bool = False) -> None:
        """Tests skip the disk flushes; a benchmark asks for a durable server like production."""
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
        options += "-c max_connections=200"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w",
            "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Yields a superuser URL to a fresh server; the server and its files go afterwards."""
    server = PostgresServer()
    server.start()
    try:
        yield server.url
    finally:
        server.remove()
