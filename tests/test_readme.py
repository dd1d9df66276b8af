"""README.md's shell examples run verbatim, in order, as a newcomer would paste them.

Every fenced ```sh block goes, unchanged, into one bash shell (`set -euo pipefail`, so variables
such as $TOKEN carry from block to block and any failing command fails the test), in an empty
directory where `.venv` is the project's virtualenv, next to a live `wijkcontact serve` whose
database the blocks share through WIJKCONTACT_DATABASE_URL. The one change: the server listens on
a free port instead of 8000 (which `make run` on the same machine may hold), so
`127.0.0.1:8000` in the blocks is rewritten to it. PATH loses the virtualenv's bin directory:
the README has to say `.venv/bin/wijkcontact` where a reader has not activated anything.

Blocks that start the service or run the suite themselves (`make run`, `make test`, `docker
compose up`, `wijkcontact serve ...`) are left out: the test provides the service.
"""

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dienst import ROOT, Dienst

# Real `wijkcontact serve` processes, started and stopped per test.
pytestmark = pytest.mark.slow

README = ROOT / "README.md"
# A block with a line starting like this starts the service, runs the suite or needs docker.
NIET_UITVOEREN = (
    "make run", "make test", "make demo", "make bench", "make pytest", "make schermafdrukken",
    "bash .ci/run", ".ci/run", "docker", "wijkcontact serve", ".venv/bin/wijkcontact serve",
)  # fmt: skip


@dataclass
class Blok:
    regel: int  # line of the opening fence in README.md
    taal: str
    tekst: str

    @property
    def uitvoeren(self) -> bool:
        regels = [r.strip() for r in self.tekst.splitlines()]
        return self.taal == "sh" and not any(r.startswith(NIET_UITVOEREN) for r in regels)


def blokken(markdown: str) -> list[Blok]:
    gevonden = []
    for m in re.finditer(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", markdown, re.M | re.S):
        gevonden.append(Blok(markdown.count("\n", 0, m.start()) + 1, m.group(1), m.group(2)))
    return gevonden


def curl_opdrachten(tekst: str) -> list[list[str]]:
    """The words of every curl command in a piece of shell, quoted arguments kept whole."""
    # Comments out first: shlex would swallow the newline after one, joining two commands.
    zonder_commentaar = re.sub(r"(^|[ \t])#[^\n]*", r"\1", tekst.replace("\\\n", " "), flags=re.M)
    lexer = shlex.shlex(zonder_commentaar, posix=True, punctuation_chars=";&|()")
    lexer.whitespace = " \t\r"  # a newline ends a command, as in the shell
    lexer.commenters = ""
    opdrachten: list[list[str]] = [[]]
    for woord in lexer:
        if woord == "\n" or (woord and set(woord) <= set(";&|()")):
            opdrachten.append([])
        else:
            opdrachten[-1].append(woord)
    return [o[o.index("curl") :] for o in opdrachten if "curl" in o]


def test_every_curl_in_the_readme_fails_on_an_http_error() -> None:
    markdown = README.read_text(encoding="utf-8")
    curls = [o for b in blokken(markdown) if b.taal == "sh" for o in curl_opdrachten(b.tekst)]
    # Inline examples in the text count too: `curl -fsS ...`.
    curls += [
        o for inline in re.findall(r"`(curl [^`]*)`", markdown) for o in curl_opdrachten(inline)
    ]
    assert curls, "README.md zou met curl moeten laten zien hoe de API werkt"
    zonder_fail = [
        " ".join(c)
        for c in curls
        if not any(re.fullmatch(r"-[a-zA-Z]*f[a-zA-Z]*|--fail(-with-body)?", w) for w in c)
    ]
    # Without -f, curl exits 0 on a 404 or 401: the README test would pass on an error.
    assert zonder_fail == [], "curl zonder -f/--fail in README.md:\n" + "\n".join(zonder_fail)


def test_readme_shell_blocks_run_verbatim_against_a_live_server(tmp_path: Path) -> None:
    alle = blokken(README.read_text(encoding="utf-8"))
    uit_te_voeren = [b for b in alle if b.uitvoeren]
    assert any("curl" in b.tekst for b in uit_te_voeren), [b.regel for b in alle]

    werkmap = tmp_path / "lezer"
    werkmap.mkdir()
    (werkmap / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    database_url = f"sqlite:///{tmp_path / 'wijkcontact.db'}"
    venv_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "WIJKCONTACT_DATABASE_URL": database_url,
        "PATH": os.pathsep.join(
            p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin
        ),
    }

    with Dienst(database_url) as dienst:
        delen = [
            "set -euo pipefail",
            'trap \'rc=$?; [ "$rc" -eq 0 ] || echo "README-blok $__readme_blok faalde: exit $rc" '
            ">&2' EXIT",
        ]
        for blok in uit_te_voeren:
            tekst = re.sub(
                r"(127\.0\.0\.1|localhost):8000\b", f"127.0.0.1:{dienst.port}", blok.tekst
            )
            delen += [f"__readme_blok={blok.regel}", tekst]
        script = "\n".join(delen) + "\n"
        resultaat = subprocess.run(
            ["bash", "-c", script], cwd=werkmap, env=env, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        server = dienst.uitvoer()

    if resultaat.returncode != 0:
        mislukt = re.search(r"README-blok (\d+) faalde", resultaat.stderr)
        blok = next((b for b in alle if mislukt and b.regel == int(mislukt.group(1))), None)
        raise AssertionError(
            f"README.md, blok op regel {blok.regel if blok else '?'} faalt "
            f"(exit {resultaat.returncode}):\n{blok.tekst if blok else script}\n"
            f"--- stdout ---\n{resultaat.stdout[-3000:]}\n--- stderr ---\n"
            f"{resultaat.stderr[-3000:]}\n--- server ---\n{server[-3000:]}"
        )
