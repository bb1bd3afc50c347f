"""The whole product over real HTTP: ``qbbridge serve`` in a subprocess, records given with ``qbbridge
submit``, and ``qbbridge mockqb run`` (another subprocess) doing one Web Connector update against it.

Runs on SQLite and PostgreSQL (``database_url``). The server is always stopped (SIGTERM, which must end it
cleanly with exit 0), and readiness is polled on ``GET /``, never guessed with a fixed sleep.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.http]

E2E_DIR = Path(__file__).resolve().parent
PASSWORD = "correct horse battery"
KEYS = [f"h{n}" for n in range(5)]
READY_WITHIN_S = 60  # a failure bound, not an expectation: readiness is usually a second or two


def qbbridge_command() -> list[str]:
    """The installed console script when there is one next to this Python, else the same entry point."""
    script = Path(sys.executable).with_name("qbbridge")
    launcher = "import sys; from qbbridge.core.cli import main; sys.exit(main())"
    return [str(script)] if script.exists() else [sys.executable, "-c", launcher]


def environment() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("QBBRIDGE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(E2E_DIR), os.environ.get("PYTHONPATH")]))
    return env


def qbbridge(*args: str, cwd: Path, stdin: str | None = None,
             **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*qbbridge_command(), *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          env={**environment(), **extra_env}, timeout=300, check=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(server: subprocess.Popen, base_url: str, log: Path) -> None:
    """Poll ``GET /`` until it answers 200; between polls wait on the process, so an early exit shows."""
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/", timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        try:
            server.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"qbbridge serve exited with {server.returncode}:\n{log.read_text()}")
    pytest.fail(f"qbbridge serve did not answer within {READY_WITHIN_S} s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def time_entries(company_file: Path) -> Counter[str]:
    """How many TimeTracking entries of the saved company JSON carry each record's "qbb:<id>" marker."""
    data = json.loads(company_file.read_text(encoding="utf-8"))
    notes = [entry.get("Notes", "") for entry in data["transactions"]["TimeTracking"]]
    return Counter(note.removeprefix("qbb:") for note in notes if note.startswith("qbb:"))


def prepare(tmp_path: Path, db: str) -> None:
    """A company, a Web Connector user and five time entries, all through the command line."""
    store = ["--database-url", db]
    assert qbbridge("company", "add", "acme", *store, cwd=tmp_path).returncode == 0
    added = qbbridge("user", "add", "wc", "--company", "acme", "--password-stdin", *store, cwd=tmp_path,
                     stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    lines = [json.dumps({"id": key, "date": "2026-11-20", "employee": "Jane Doe", "minutes": 30 + n})
             for n, key in enumerate(KEYS)]
    (tmp_path / "hours.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    submitted = qbbridge("submit", "hours", "hours.jsonl", "--plugin", "hours_plugin", *store, cwd=tmp_path)
    assert submitted.returncode == 0 and "5 added" in submitted.stdout, submitted.stderr
    made = qbbridge("mockqb", "init", "company.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr


def test_a_served_update_over_http_lands_every_record_exactly_once(tmp_path, database_url):
    prepare(tmp_path, database_url)
    port, log = free_port(), tmp_path / "serve.log"
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*qbbridge_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--database-url",
             database_url, "--plugin", "hours_plugin"],
            cwd=tmp_path, env=environment(), stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file)
        try:
            wait_until_ready(server, base_url, log)
            update = qbbridge("mockqb", "run", "--url", base_url + "/qbwc", "--user", "wc",
                              "--company", "company.json", cwd=tmp_path, QBBRIDGE_MOCKQB_PASSWORD=PASSWORD)
            status = qbbridge("status", "--json", "--database-url", database_url, "--plugin", "hours_plugin",
                              cwd=tmp_path)
        finally:
            stop(server)
    assert update.returncode == 0, update.stdout + update.stderr + log.read_text()
    assert time_entries(tmp_path / "company.json") == {key: 1 for key in KEYS}
    hours = json.loads(status.stdout)["object_types"]["hours"]
    assert (hours["synced"], hours["pending"], hours["last_sync"] is not None) == (len(KEYS), 0, True)
    assert server.returncode == 0, log.read_text()
    assert "qbbridge serving the Web Connector at " + base_url + "/qbwc" in log.read_text()
