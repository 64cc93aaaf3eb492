"""The SDI form's last step saves nothing when the dataset is incomplete, and says where to complete it."""

from __future__ import annotations

import io

import pytest
from ckan import model

from tests.helpers import sdi_form_up_to_page_3

CSV = b"kelurahan,posyandu\nLaing,4\n"


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("button", ["go-metadata", "again"])
def test_the_last_step_of_an_incomplete_dataset_saves_nothing_and_links_to_the_fields(app, button):
    post = sdi_form_up_to_page_3(app)  # pages 3 and 4 (schedule, contact) were skipped
    form = {
        "save": button,
        "id": "",
        "name": "Posyandu per kelurahan",
        "format": "CSV",
        "url": "posyandu.csv",
        "upload": (io.BytesIO(CSV), "posyandu.csv"),
    }
    body = post("/dataset/posyandu/resource/new", form, 200).get_data(as_text=True)
    assert "Tidak ada yang disimpan, termasuk berkasnya" in body
    assert '<a href="/dataset/new/posyandu/3">Frekuensi Pemutakhiran</a> (halaman 3: Jadwal dan Cakupan)' in body
    assert "accrualPeriodicity:" not in body  # fields are named by their label, never by their key
    pkg = model.Package.get("posyandu")
    model.Session.refresh(pkg)
    assert pkg.state == "draft" and pkg.resources == []
    # Under /en/ the same in English.
    body = post("/en/dataset/posyandu/resource/new", dict(form, upload=(io.BytesIO(CSV), "p.csv")), 200).get_data(
        as_text=True
    )
    assert "Nothing was saved, not even the file" in body and "(page 3: Schedule and coverage)" in body
