"""The production server as scripts/portal.sh starts it (scripts/serve.sh: gunicorn + CKAN's job worker).

One server for the module, on a free port, on the test database (migrated by scripts/test.sh) and
the test Redis, with a site id of its own so that its job queue is its own.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue

from tests.helpers import ROOT

VAR = ROOT / "var" / "test-production"
SITE_ID = "solok-production-test"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    port = _free_port()
    VAR.mkdir(parents=True, exist_ok=True)
    ini = VAR / "production.ini"
    ini.write_text(
        "\n".join(
            [
                "[DEFAULT]",
                "debug = false",
                "[app:main]",
                f"use = config:{ROOT / 'test.ini'}",
                "testing = false",
                "WTF_CSRF_ENABLED = true",
                f"ckan.site_url = http://127.0.0.1:{port}",
                f"ckan.site_id = {SITE_ID}",
                "ckanext.solok.page_cache.enabled = true",
                "",
            ]
        ),
        encoding="utf-8",
    )
    log = VAR / "server.log"
    env = dict(os.environ, SOLOK_INI=str(ini), SOLOK_PORT=str(port), SOLOK_WORKERS="2", SOLOK_THREADS="2")
    env.pop("SOLOK_DEV", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "serve.sh")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + 120
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"scripts/serve.sh stopped at start-up:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                if running.get("/api/3/action/status_show")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"No answer within 120 s:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_it_is_gunicorn_without_the_debugger(server):
    status, headers, _ = server.get("/")
    assert status == 200 and headers["Server"].startswith("gunicorn")
    for path in ("/console", "/console?__debugger__=yes&cmd=resource&f=style.css"):
        assert server.get(path)[0] == 404, path


def test_assets_are_compressed_and_cached_by_content_hash(server):
    _, _, html = server.get("/")
    bundle = re.search(rb'src="(/webassets/base/[0-9a-f]{8}_[^"]+\.js)"', html)
    assert bundle, "no hashed bundle on the home page"
    status, headers, body = server.get(bundle.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and body[:2] == b"\x1f\x8b"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The page itself: compressed, and the second anonymous visit comes from the page cache.
    _, headers, _ = server.get("/dataset/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert server.get("/dataset/")[1]["X-Solok-Cache"] == "hit"


def test_the_job_worker_runs_beside_it(server):
    redis = Redis.from_url(os.environ["CKAN_REDIS_URL"])
    job = Queue(f"ckan:{SITE_ID}:default", connection=redis).enqueue("ckan.lib.jobs.test_job", "uji")
    deadline = time.monotonic() + 60
    while job.get_status(refresh=True) not in ("finished", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.get_status() == "finished", server.log.read_text(errors="replace")[-3000:]


def test_stopping_it_stops_both(server):
    """Last test of the module: TERM to scripts/serve.sh ends gunicorn and the worker alike."""
    os.kill(server.process.pid, signal.SIGTERM)
    assert server.process.wait(timeout=40) != 0
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(server.process.pid, 0)  # anyone left in the process group?
        except ProcessLookupError:
            return
        time.sleep(0.2)
    pytest.fail("a process of scripts/serve.sh outlived it")
