"""Two transitions of one dataset at the same moment: exactly one wins (``workflow/guard.py``'s row lock).

This runs a real multi-threaded CKAN server (``ckan run --threaded``) on the
test database and sends the Walidata's publish and return of the same
submitted dataset as two simultaneous HTTP requests, ten times. Each request
is served by its own thread with its own database connection, as in
production; the test only reads the outcome.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.solok.workflow.model import event_table
from tests.helpers import ROOT, in_status

ROUNDS = 10
CKAN = str(Path(sys.executable).with_name("ckan"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(roles: dict[str, Any], tmp_path: Path) -> Iterator[str]:
    """``ckan run --threaded`` on the test database (scripts/test.sh's CKAN_SQLALCHEMY_URL), stopped afterwards."""
    port = _free_port()
    ini = tmp_path / "threaded.ini"
    ini.write_text(
        "\n".join(
            [
                "[app:main]",
                f"use = config:{ROOT / 'test.ini'}",
                "testing = false",
                f"ckan.site_url = http://127.0.0.1:{port}",
                f"ckan.storage_path = {ROOT / 'var' / 'test-storage'}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.pop("CKAN_INI", None)
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [CKAN, "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader", "--threaded"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {(tmp_path / 'server.log').read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not answer within 120 s") from None
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _post(url: str, action: str, token: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{url}/api/3/action/{action}",
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "Authorization": token},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _exits_from_submitted(package_id: str) -> list[str]:
    model.Session.remove()  # a fresh connection: read what the server committed
    rows = model.Session.execute(
        sa.select(event_table.c.to_status).where(
            event_table.c.package_id == package_id, event_table.c.from_status == "diajukan"
        )
    )
    return [r[0] for r in rows]


def test_publish_and_return_at_once_exactly_one_wins(roles, server):
    token = roles["users"]["walidata"]["token"]
    names = [f"balapan-{i}" for i in range(ROUNDS)]
    ids = {name: in_status(roles, "diajukan", name)["id"] for name in names}
    outcomes = []
    for name in names:
        start = threading.Barrier(2)

        def send(action: str, data: dict[str, Any], start: threading.Barrier = start) -> tuple[int, dict[str, Any]]:
            start.wait()
            return _post(server, action, token, data)

        with ThreadPoolExecutor(2) as pool:
            published = pool.submit(send, "solok_workflow_publish", {"id": name})
            returned = pool.submit(send, "solok_workflow_return", {"id": name, "note": "Perbaiki satuan."})
            outcomes.append((name, published.result(), returned.result()))
    # Every round, not just the first that fails: how often the race was lost shows in the message.
    summary = [(name, pub[0], ret[0], _exits_from_submitted(ids[name])) for name, pub, ret in outcomes]
    assert [row for row in summary if sorted(row[1:3]) != [200, 409] or len(row[3]) != 1] == []
    for name, (pub_code, pub_body), (ret_code, ret_body) in outcomes:
        loser = ret_body if ret_code == 409 else pub_body
        assert "solok_status" in loser["error"], loser
        winner = "terbit" if pub_code == 200 else "dikembalikan"
        assert _exits_from_submitted(ids[name]) == [winner]
        model.Session.remove()
        extras = model.Session.execute(
            sa.select(model.package_table.c.extras).where(model.package_table.c.id == ids[name])
        ).scalar_one()
        assert extras["solok_status"] == winner
