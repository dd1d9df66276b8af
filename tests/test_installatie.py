"""What the container runs, tried on a clean virtualenv: the wheel installs, migrates a fresh
database at start and serves a ready service. No container engine is needed for this."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.dienst import ROOT, Dienst

# Builds the wheel and installs it into a fresh virtualenv.
pytestmark = pytest.mark.slow


def test_the_wheel_in_a_clean_virtualenv_migrates_and_serves(tmp_path: Path) -> None:
    wheels, venv, bron = tmp_path / "wheels", tmp_path / "venv", tmp_path / "bron"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # Built from a copy, as the image's build stage does, so the checkout gets no build/.
    for deel in ("app", "migrations"):
        shutil.copytree(ROOT / deel, bron / deel, ignore=shutil.ignore_patterns("__pycache__"))
    for bestand in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / bestand, bron / bestand)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."],
        cwd=bron, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    wheel = next(wheels.glob("wijkcontact-*.whl"))
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)],
        env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip

    werkmap = tmp_path / "werk"
    werkmap.mkdir()
    database_url = f"sqlite:///{werkmap / 'wijkcontact.db'}"
    # The image's command, from a directory without the source tree.
    with Dienst(
        database_url,
        workers=2,
        command=[str(venv / "bin" / "wijkcontact")],
        cwd=werkmap,
        env={"PYTHONPATH": ""},
    ) as dienst:
        assert httpx.get(f"{dienst.url}/health/ready").json() == {"status": "ok"}
        document = httpx.get(f"{dienst.url}/api/v1/openapi.json").json()
        assert document["info"]["title"] == "wijkcontact"
        assert "Er zijn nog geen accounts" in dienst.uitvoer()
    assert (werkmap / "wijkcontact.db").exists()
