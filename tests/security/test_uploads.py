"""Uploaded files: the real type is checked against the declared format, and files are served so they cannot run.

The attack of the issue: a producer uploads an HTML page (or an SVG with a
script) declared as CSV; the portal served it from its own origin, inline,
as ``text/html``; opened by the Walidata, its script read the CSRF token and
published a dataset as the Walidata.
"""

from __future__ import annotations

import io
import os
import pathlib

import pytest
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from tests.helpers import SDI_DEFAULTS

CSV = b"kelurahan,jumlah\nLaing,120\nTanah Garam,80\n"
HTML = b"<!DOCTYPE html><html><body><script>fetch('/dataset/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="1"/></svg>'
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
REFUSED_ID = "Isi berkas tidak sesuai dengan formatnya"
REFUSED_EN = "The file does not match its format"


@pytest.fixture
def producer(clean_db):
    user = factories.UserWithToken()
    org = factories.Organization(name="dinkes", users=[{"name": user["name"], "capacity": "editor"}])
    dataset = helpers.call_action(
        "package_create",
        context={"user": user["name"]},
        **dict(SDI_DEFAULTS, name="data-uji", title="Data Uji", owner_org=org["id"]),
    )
    return {"user": user, "org": org, "dataset": dataset, "headers": {"Authorization": user["token"]}}


def stored_files() -> set[str]:
    """Every file in CKAN's resource storage."""
    root = pathlib.Path(helpers.config["ckan.storage_path"]) / "resources"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def upload(content: bytes, filename: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename, content_type="application/octet-stream")


def api_upload(app, producer, action: str, content: bytes, filename: str, prefix: str = "", **fields):
    return app.post(
        f"{prefix}/api/3/action/{action}",
        data={**fields, "upload": (io.BytesIO(content), filename)},
        headers=producer["headers"],
        content_type="multipart/form-data",
    )


def resources_of(name: str = "data-uji") -> list[dict]:
    return helpers.call_action("package_show", id=name)["resources"]


@pytest.mark.parametrize(
    ("content", "filename", "fmt", "kind"),
    [
        (HTML, "laporan.csv", "CSV", "HTML"),
        (HTML, "laporan.html", "CSV", "HTML"),
        (SVG, "grafik.csv", "CSV", "SVG"),
        (HTML, "data.xml", "XML", "HTML"),
        (SVG, "peta.xml", "XML", "SVG"),
        (PNG, "tabel.csv", "CSV", "PNG"),
        (CSV, "tabel.xlsx", "XLSX", "CSV"),
        (CSV, "foto.png", "PNG", "CSV"),
        (HTML, "halaman.html", "", "HTML"),
        (SVG, "gambar.svg", "", "SVG"),
    ],
)
def test_a_file_that_is_not_what_it_declares_is_refused_and_nothing_is_kept(
    app, producer, content, filename, fmt, kind
):
    before = stored_files()
    res = api_upload(
        app, producer, "resource_create", content, filename, package_id="data-uji", name="Lampiran", format=fmt
    )
    assert res.status_code == 409, res.status_code
    error = res.json["error"]
    assert list(error) == ["upload", "__type"], error
    assert kind in error["upload"][0]
    assert "Isi berkas tidak sesuai" in error["upload"][0] or "tidak dapat diunggah" in error["upload"][0]
    assert resources_of() == []
    assert stored_files() == before


def test_the_message_is_english_under_en(app, producer):
    res = api_upload(
        app, producer, "resource_create", HTML, "laporan.csv", "/en", package_id="data-uji", name="X", format="CSV"
    )
    assert res.status_code == 409
    message = res.json["error"]["upload"][0]
    assert message.startswith(REFUSED_EN) and "HTML" in message and "CSV" in message


@pytest.mark.parametrize(
    ("content", "filename", "fmt"),
    [
        (CSV, "tabel.csv", "CSV"),
        (CSV, "tabel.csv", ""),
        ("nama,nilai\nCafé Solok,12\n".encode("cp1252"), "tabel.csv", "CSV"),
        (b"", "kosong.csv", "CSV"),
        (b'{"type": "FeatureCollection", "features": []}', "batas.geojson", "GeoJSON"),
        (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>', "titik.kml", "KML"),
        (PNG, "foto.png", "PNG"),
    ],
)
def test_files_that_are_what_they_declare_are_kept(app, producer, content, filename, fmt):
    res = api_upload(
        app, producer, "resource_create", content, filename, package_id="data-uji", name="Lampiran", format=fmt
    )
    assert res.status_code == 200, res.json
    [resource] = resources_of()
    assert resource["url_type"] == "upload"


def test_a_spreadsheet_is_kept(app, producer):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["kelurahan", "jumlah"])
    stream = io.BytesIO()
    book.save(stream)
    res = api_upload(
        app,
        producer,
        "resource_create",
        stream.getvalue(),
        "tabel.xlsx",
        package_id="data-uji",
        name="X",
        format="XLSX",
    )
    assert res.status_code == 200, res.json
    assert resources_of()[0]["mimetype"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_replacing_a_file_with_a_page_is_refused_and_the_old_file_stays(app, producer):
    ctx = {"user": producer["user"]["name"]}
    resource = helpers.call_action(
        "resource_create", context=ctx, package_id="data-uji", name="Tabel", format="CSV", upload=upload(CSV, "t.csv")
    )
    path = get_resource_uploader(resource).get_path(resource["id"])
    for action, fields in (
        ("resource_update", {"id": resource["id"], "name": "Tabel", "format": "CSV"}),
        ("resource_patch", {"id": resource["id"]}),
    ):
        res = api_upload(app, producer, action, HTML, "t.csv", **fields)
        assert res.status_code == 409, (action, res.status_code)
        assert REFUSED_ID in res.json["error"]["upload"][0]
        assert pathlib.Path(path).read_bytes() == CSV
        assert resources_of()[0]["url"].endswith("/t.csv")


def test_package_create_and_update_with_resources_are_checked(app, producer):
    ctx = {"user": producer["user"]["name"]}
    data = dict(SDI_DEFAULTS, name="data-baru", title="Data Baru", owner_org=producer["org"]["id"])
    bad = {"name": "Halaman", "format": "CSV", "url": "laporan.csv", "upload": upload(HTML, "laporan.csv")}
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("package_create", context=ctx, resources=[bad], **data)
    # Called from code, outside a request: the message is CKAN's source text.
    assert "HTML" in error.value.error_dict["resources"][0]["upload"][0]
    with pytest.raises(helpers.logic.NotFound):
        helpers.call_action("package_show", id="data-baru")

    good = {"name": "Tabel", "format": "CSV", "url": "http://contoh.go.id/tabel.csv"}
    bad = {"name": "Halaman", "format": "CSV", "url": "laporan.csv", "upload": upload(SVG, "laporan.csv")}
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("package_patch", context=ctx, id="data-uji", resources=[good, bad])
    assert error.value.error_dict["resources"][0] == {}
    assert "SVG" in error.value.error_dict["resources"][1]["upload"][0]
    assert resources_of() == []


def test_package_revise_is_checked(app, producer):
    res = app.post(
        "/api/3/action/package_revise",
        data={
            "match__name": "data-uji",
            "update__resources__extend": '[{"name": "Halaman", "format": "CSV"}]',
            "update__resources__-1__upload": (io.BytesIO(HTML), "laporan.csv"),
        },
        headers=producer["headers"],
        content_type="multipart/form-data",
    )
    assert res.status_code == 409, res.status_code
    assert resources_of() == []


def test_the_resource_form_shows_the_error_and_saves_nothing(app, producer):
    user = producer["user"]
    helpers.call_action("user_patch", context={"ignore_auth": True}, id=user["id"], password="Rahasia-Uji-2026")
    app.post("/user/login", data={"login": user["name"], "password": "Rahasia-Uji-2026"})
    before = stored_files()
    for prefix, message in (("", REFUSED_ID), ("/en", REFUSED_EN)):
        res = app.post(
            f"{prefix}/dataset/data-uji/resource/new",
            data={
                "id": "",
                "name": "Halaman",
                "format": "CSV",
                "url_type": "upload",
                "url": "",
                "upload": (io.BytesIO(HTML), "laporan.csv"),
                "save": "again",
            },
            content_type="multipart/form-data",
        )
        assert res.status_code == 200
        body = res.get_data(as_text=True)
        assert message in body, prefix
    assert resources_of() == []
    assert stored_files() == before


class TestDownloads:
    """How stored files are sent: never something a browser runs on the portal's origin."""

    @pytest.fixture
    def unchecked(self, producer, ckan_config, monkeypatch):
        """Files that reached the storage without the check (uploaded before it existed)."""
        monkeypatch.setitem(ckan_config, "ckanext.solok.security.check_upload_types", False)
        return producer

    def make(self, producer, content: bytes, filename: str, fmt: str, **extra) -> str:
        resource = helpers.call_action(
            "resource_create",
            context={"user": producer["user"]["name"]},
            package_id="data-uji",
            name=filename,
            format=fmt,
            upload=upload(content, filename),
            **extra,
        )
        return f"/dataset/data-uji/resource/{resource['id']}/download/{filename}"

    def get(self, app, producer, url: str, **kwargs):
        # The dataset is the producer's unpublished draft: downloaded as the producer.
        return app.get(url, headers=producer["headers"], **kwargs)

    def assert_sandboxed(self, res) -> None:
        assert res.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert res.headers["X-Content-Type-Options"] == "nosniff"

    def test_an_html_page_declared_csv_is_an_attachment_of_no_runnable_type(self, app, unchecked):
        url = self.make(unchecked, HTML, "laporan.html", "CSV")
        res = self.get(app, unchecked, url)
        assert res.status_code == 200 and res.get_data() == HTML
        assert res.headers["Content-Type"] == "application/octet-stream"
        assert res.headers["Content-Disposition"] == "attachment; filename=laporan.html"
        self.assert_sandboxed(res)

    def test_an_svg_is_an_attachment(self, app, unchecked):
        res = self.get(app, unchecked, self.make(unchecked, SVG, "grafik.svg", "PNG"))
        assert res.headers["Content-Type"] == "application/octet-stream"
        assert res.headers["Content-Disposition"].startswith("attachment")
        self.assert_sandboxed(res)

    def test_a_csv_is_an_attachment_of_its_type(self, app, producer):
        res = self.get(app, producer, self.make(producer, CSV, "tabel.csv", "CSV", mimetype="text/html"))
        assert res.get_data() == CSV
        assert res.headers["Content-Type"].startswith("text/csv")
        assert res.headers["Content-Disposition"] == "attachment; filename=tabel.csv"
        self.assert_sandboxed(res)

    def test_a_png_is_shown_inline_but_sandboxed(self, app, producer):
        res = self.get(app, producer, self.make(producer, PNG, "foto.png", "PNG"))
        assert res.headers["Content-Type"] == "image/png"
        assert res.headers["Content-Disposition"] == "inline; filename=foto.png"
        self.assert_sandboxed(res)

    def test_a_linked_file_is_still_a_redirect(self, app, producer):
        resource = helpers.call_action(
            "resource_create",
            context={"user": producer["user"]["name"]},
            package_id="data-uji",
            name="Tautan",
            format="CSV",
            url="https://data.example.go.id/tabel.csv",
        )
        res = self.get(app, producer, f"/dataset/data-uji/resource/{resource['id']}/download", follow_redirects=False)
        assert res.status_code == 302 and res.headers["Location"] == "https://data.example.go.id/tabel.csv"


def test_the_check_can_be_switched_off(app, producer, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.solok.security.check_upload_types", False)
    res = api_upload(app, producer, "resource_create", HTML, "t.csv", package_id="data-uji", name="X", format="CSV")
    assert res.status_code == 200
    assert os.path.exists(get_resource_uploader(res.json["result"]).get_path(res.json["result"]["id"]))


def test_organisation_images_from_ckans_storage_are_sandboxed(app, producer):
    sysadmin = factories.Sysadmin()
    org = helpers.call_action(
        "organization_create",
        context={"user": sysadmin["name"]},
        name="dinas-uji",
        title="Dinas Uji",
        image_upload=FileStorage(io.BytesIO(PNG), "logo.png", content_type="image/png"),
    )
    url = org["image_display_url"]  # served from CKAN's storage as a static file
    assert "/uploads/group/" in url
    res = app.get(url.replace(helpers.config["ckan.site_url"], ""))
    assert res.status_code == 200 and res.get_data() == PNG
    assert res.headers["Content-Type"] == "image/png"
    assert res.headers["Content-Disposition"].startswith("inline")
    assert res.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
