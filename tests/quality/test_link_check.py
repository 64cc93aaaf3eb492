"""The link checker against a local HTTP server: status, content type, size, format; the network guard;
the score, /statistik and the quality panel; ``ckan solok links``; the job queued when a link changes."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs
from ckan.tests import helpers as ckan_helpers

from ckanext.solok.quality import link_check, link_jobs, links, score
from tests.helpers import act, create_as, headers, xlsx

CSV = b"kecamatan,jumlah\nLubuk Sikarah,120\nTanjung Harapan,98\n"
NIKS = ["1372014506510003", "1372010307480002", "1372025911490001", "1372021204460004"]
PERSONAL_CSV = ("nama,nik,kelurahan\n" + "".join(f"Warga {i},{n},Laing\n" for i, n in enumerate(NIKS))).encode()
HTML = b"<!DOCTYPE html><html><head><title>Halaman</title></head><body><p>Bukan CSV</p></body></html>\n"


def _other_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("foto/readme.txt", "bukan buku kerja")
    return buffer.getvalue()


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}
    hosts: list[str] = []

    def log_message(self, format, *args):
        pass

    def _answer(self, body: bool) -> None:
        path = self.path
        self.hosts.append(self.headers.get("Host", ""))
        if path == "/slow.csv":
            time.sleep(2)
        if path == "/no-head.csv" and not body:
            self.send_response(405)
            self.end_headers()
            return
        redirects = {
            "/to-private": "http://10.1.2.3/data.csv",
            "/to-metadata": "http://169.254.169.254/",
            "/loop": "/loop",
        }
        if path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[path])
            self.end_headers()
            return
        status, ctype, content = self.routes.get(path, (404, "text/html", b"<html>not found</html>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)


@pytest.fixture(scope="module")
def server():
    _Handler.routes = {
        "/data.csv": (200, "text/csv", CSV),
        "/no-head.csv": (200, "text/csv", CSV),
        "/slow.csv": (200, "text/csv", CSV),
        "/warga.csv": (200, "text/csv", PERSONAL_CSV),
        "/page.csv": (200, "text/html; charset=utf-8", HTML),
        "/buku.xlsx": (200, "application/octet-stream", xlsx([["a", "b"], [1, 2]])),
        "/arsip.xlsx": (200, "application/octet-stream", _other_zip()),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local(ckan_config, monkeypatch):
    """The local test server is an intranet OPD server the portal may check."""
    monkeypatch.setitem(ckan_config, "ckanext.solok.quality.link_allowlist", "127.0.0.1")
    monkeypatch.setitem(ckan_config, "ckanext.solok.quality.link_timeout", 1)


class TestCheck:
    def test_a_csv_that_answers(self, server, local):
        result = link_check.check(f"{server}/data.csv", "CSV")
        assert result["ok"] is True and result["status"] == 200 and result["error"] == ""
        assert result["content_type"] == "text/csv" and result["size"] == len(CSV)
        assert result["format_ok"] is True and result["personal"] == []

    def test_a_missing_file_is_broken(self, server, local):
        result = link_check.check(f"{server}/missing.csv", "CSV")
        assert (result["ok"], result["status"], result["error"]) == (False, 404, "http_status")

    def test_a_server_that_refuses_head_is_checked_with_a_get(self, server, local):
        result = link_check.check(f"{server}/no-head.csv", "CSV")
        assert result["ok"] is True and result["status"] == 200 and result["format_ok"] is True

    def test_an_html_page_sent_as_csv_is_flagged(self, server, local):
        result = link_check.check(f"{server}/page.csv", "CSV")
        assert result["ok"] is True and result["format_ok"] is False
        assert result["kind"] == "text/html" and result["content_type"] == "text/html"

    def test_an_xlsx_must_be_a_workbook(self, server, local):
        assert link_check.check(f"{server}/buku.xlsx", "XLSX")["format_ok"] is True
        other = link_check.check(f"{server}/arsip.xlsx", "XLSX")
        assert other["ok"] is True and other["format_ok"] is False and other["kind"] == "application/zip"

    def test_only_the_first_bytes_are_read(self, server, local, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.solok.quality.link_max_bytes", 20)
        result = link_check.check(f"{server}/data.csv", "CSV")
        # Judged on its first bytes; the size is still known, and no personal-data scan of a partial file.
        assert result["ok"] is True and result["format_ok"] is True and result["personal"] is None
        assert result["size"] == len(CSV)

    def test_a_slow_server_times_out(self, server, local):
        started = time.monotonic()
        result = link_check.check(f"{server}/slow.csv", "CSV")
        assert (result["ok"], result["error"]) == (False, "timeout")
        assert time.monotonic() - started < 2

    def test_a_redirect_loop_is_broken(self, server, local):
        result = link_check.check(f"{server}/loop", "CSV")
        assert (result["ok"], result["error"]) == (False, "too_many_redirects")


class TestGuard:
    @pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
    def test_a_redirect_to_a_private_address_is_refused(self, server, local, path):
        # The local server is allowed; where it redirects to is checked again, and refused.
        result = link_check.check(f"{server}{path}", "CSV")
        assert (result["ok"], result["error"], result["status"]) == (None, "private_address", None)

    def test_loopback_is_refused_without_the_allowlist(self, server):
        result = link_check.check(f"{server}/data.csv", "CSV")
        assert (result["ok"], result["error"]) == (None, "private_address")

    @pytest.mark.parametrize(
        "url",
        [
            "http://localhost/",
            "http://[::1]/",
            "http://10.0.0.5/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://224.0.0.1/",
            "http://0.0.0.0/",
            "http://240.0.0.1/",
            "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/",
        ],
    )
    def test_private_loopback_link_local_multicast_and_reserved_addresses(self, url):
        with pytest.raises(link_check.Refused, match="private_address"):
            link_check.guard(url, link_check.Limits.from_config())

    def test_the_allowlist_takes_networks_and_host_names(self, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.solok.quality.link_allowlist", "10.0.0.0/8 LocalHost")
        limits = link_check.Limits.from_config()
        assert link_check.guard("http://10.1.2.3:8080/a.csv?x=1", limits).address == "10.1.2.3"
        assert link_check.guard("http://10.1.2.3:8080/a.csv?x=1", limits).path == "/a.csv?x=1"
        assert link_check.guard("http://localhost/", limits).host == "localhost"
        with pytest.raises(link_check.Refused):
            link_check.guard("http://192.168.1.1/", limits)

    def test_every_address_of_a_name_is_checked(self, monkeypatch):
        def resolve(host, port, *args, **kwargs):
            return [(2, 1, 6, "", ("93.184.216.34", port)), (2, 1, 6, "", ("10.0.0.7", port))]

        monkeypatch.setattr(link_check.socket, "getaddrinfo", resolve)
        with pytest.raises(link_check.Refused, match="private_address"):
            link_check.guard("http://campur.example/", link_check.Limits.from_config())

    def test_the_connection_goes_to_the_checked_address(self, server, local, monkeypatch):
        # The name is resolved by the guard only (once per request); the connection goes to the address the
        # guard checked, so a changed DNS answer (rebinding) in between is never used.
        asked = []
        real = link_check.socket.getaddrinfo

        def resolve(host, port, *args, **kwargs):
            if host == "opd.example":
                asked.append(host)
                return [(2, 1, 6, "", ("127.0.0.1", port))]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(link_check.socket, "getaddrinfo", resolve)
        port = server.rsplit(":", 1)[1]
        _Handler.hosts.clear()
        result = link_check.check(f"http://opd.example:{port}/data.csv", "CSV")
        assert result["ok"] is True and result["format_ok"] is True
        assert _Handler.hosts == [f"opd.example:{port}"] * 2  # HEAD and GET, with the URL's host name
        assert len(asked) == 2

    @pytest.mark.parametrize("url", ["ftp://opd.example/a.csv", "file:///etc/passwd", "http:///a.csv"])
    def test_other_schemes_are_not_checked(self, url):
        result = link_check.check(url, "CSV")
        assert (result["ok"], result["error"]) == (None, "unsupported_scheme")


def _published_with_links(roles, urls):
    resources = [{"url": url, "format": "CSV", "name": f"Tautan {i}"} for i, url in enumerate(urls)]
    create_as(roles, "producer", name="ds-tautan", title="Data Bertaut", resources=resources)
    act(roles, "producer", "submit", "ds-tautan")
    act(roles, "walidata", "publish", "ds-tautan")
    return ckan_helpers.call_action("package_show", {"ignore_auth": True}, id="ds-tautan")


def test_a_broken_link_counts_in_the_score_statistics_and_panel(app, roles, clean_redis, server, local, cli):
    dataset = _published_with_links(roles, [f"{server}/data.csv", f"{server}/missing.csv", "http://10.9.9.9/x.csv"])
    before = score.result(dataset)
    assert before["broken_links"] == 0  # not checked yet: no points, but not broken either

    result = cli.invoke(ckan_cli, ["solok", "links"])
    assert result.exit_code == 0, result.output
    assert "3 links checked: 1 answer, 1 broken, 1 not checked" in result.output

    after = score.result(dataset)
    assert after["broken_links"] == 1
    status = next(m for m in after["metrics"] if m["key"] == "download_url_status")
    assert status["points"] == 10 and status["unknown"] == 1  # one of three answers; the private one unknown

    soup = BeautifulSoup(app.get("/statistik").get_data(as_text=True), "html.parser")
    row = next(tr for tr in soup.select("#solok-quality-opd tbody tr") if roles["opd"]["title"] in tr.get_text())
    assert row.select("td")[-1].get_text(strip=True) == "1"

    page = app.get("/dataset/ds-tautan", headers=headers(roles, "producer")).get_data(as_text=True)
    items = [
        li.get_text(" ", strip=True) for li in BeautifulSoup(page, "html.parser").select(".solok-quality-links li")
    ]
    assert any("Tautan 1" in t and "HTTP 404" in t for t in items)
    assert any("Tautan 2" in t and "alamat privat" in t for t in items)
    english = app.get("/en/dataset/ds-tautan", headers=headers(roles, "walidata")).get_data(as_text=True)
    assert "Broken link: it answers HTTP 404." in english


def test_a_new_or_changed_link_queues_a_check(roles, clean_redis, server, local):
    queue = jobs.get_queue()
    queue.empty()
    url = f"{server}/data.csv"
    create_as(roles, "producer", name="ds-baru", resources=[{"url": url, "format": "CSV", "name": "Tautan"}])
    queued = [j for j in queue.jobs if j.func == link_jobs.check_links]
    assert len(queued) == 1 and list(queued[0].args) == [[(url, "CSV")]]
    link_jobs.check_links(*queued[0].args)  # as `ckan jobs worker` would
    assert links.results([url])[url]["ok"] is True

    # Saved again with the same link: nothing new to check.
    queue.empty()
    ckan_helpers.call_action(
        "package_patch", {"user": roles["users"]["producer"]["name"]}, id="ds-baru", title="Data Baru Diubah"
    )
    assert not [j for j in queue.jobs if j.func == link_jobs.check_links]

    # A new URL for the resource: checked again.
    resource = ckan_helpers.call_action("package_show", {"ignore_auth": True}, id="ds-baru")["resources"][0]
    ckan_helpers.call_action(
        "resource_patch", {"user": roles["users"]["producer"]["name"]}, id=resource["id"], url=f"{server}/page.csv"
    )
    queued = [j for j in queue.jobs if j.func == link_jobs.check_links]
    assert len(queued) == 1 and list(queued[0].args) == [[(f"{server}/page.csv", "CSV")]]
    queue.empty()


def test_the_daily_job_checks_and_schedules_itself(roles, clean_redis, server, local, cli):
    url = f"{server}/missing.csv"
    create_as(roles, "producer", name="ds-harian", resources=[{"url": url, "format": "CSV", "name": "Tautan"}])
    queue = jobs.get_queue()
    try:
        link_jobs.daily_job()
        assert links.results([url])[url]["status"] == 404
        assert link_jobs.JOB_ID in queue.scheduled_job_registry.get_job_ids()
        assert "already" in cli.invoke(ckan_cli, ["solok", "links", "--schedule"]).output
    finally:
        queue.scheduled_job_registry.remove(link_jobs.JOB_ID, delete_job=True)
        queue.empty()


def test_a_linked_file_with_personal_data_stops_submission(roles, clean_redis, server, local, caplog):
    url = f"{server}/warga.csv"
    create_as(roles, "producer", name="ds-warga-tautan", resources=[{"url": url, "format": "CSV", "name": "Warga"}])
    act(roles, "producer", "submit", "ds-warga-tautan")  # not read yet: nothing known against it
    act(roles, "walidata", "return", "ds-warga-tautan", note="Periksa berkas.")
    assert link_jobs.check_links([(url, "CSV")]) == {"ok": 1, "broken": 0, "not_checked": 0}
    stored = links.results([url])[url]
    assert {f["column"] for f in stored["personal"]} == {"nama", "nik"}
    assert not any(n in str(stored) for n in NIKS)  # column names and kinds only
    with pytest.raises(tk.ValidationError) as error:
        act(roles, "producer", "submit", "ds-warga-tautan")
    assert "UU 27/2022" in str(error.value.error_dict) and not any(n in caplog.text for n in NIKS)
