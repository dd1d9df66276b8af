"""The service as an operator runs it: `wijkcontact serve` in its own process group.

For the tests that need real processes: several servers on one database, a server killed with
SIGKILL, a database that goes away under a running server.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from tests.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent


class Dienst:
    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
        command: Sequence[str] = (sys.executable, "-m", "app.cli"),
        cwd: Path = ROOT,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: nobody reads the access log, and a full pipe would block uvicorn.
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        environment = {
            **os.environ,
            "WIJKCONTACT_DATABASE_URL": database_url,
            "WIJKCONTACT_SQLITE_BUSY_TIMEOUT": "10",
            **(env or {}),
        }
        # Its own session, so that SIGKILL reaches uvicorn's worker processes too.
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=environment,
            cwd=cwd,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_live(workers)

    def _wait_until_live(self, workers: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"wijkcontact serve stopte meteen:\n{self.uitvoer()}")
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    # With several workers the first may answer before the others listen.
                    time.sleep(0.3 * (workers - 1))
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("wijkcontact serve kwam niet op binnen 60 s")

    def uitvoer(self) -> str:
        self.output.seek(0)
        return self.output.read().decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL to every process of the server: no shutdown, no cleanup."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.output.close()

    def __enter__(self) -> "Dienst":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
