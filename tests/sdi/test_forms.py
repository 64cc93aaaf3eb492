"""Canary of the SDI form-page fix (``ckanext/solok/sdi/forms.py``), written for ckanext-scheming 3.1."""

from __future__ import annotations

import logging
from importlib.metadata import version

import pytest
from ckan.tests import factories
from flask import before_render_template

from ckanext.solok.sdi import forms
from tests.helpers import SDI_DEFAULTS


def test_the_guard_accepts_the_installed_scheming():
    assert version("ckanext-scheming").startswith(forms.SCHEMING_VERSIONS)
    assert forms.SUPPORTED


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_another_scheming_turns_the_fix_off_with_a_warning(monkeypatch):
    monkeypatch.setattr(forms, "version", lambda name: "4.0.0")
    # The CLI tests reload CKAN's logging configuration, which disables loggers created before it
    # and does not propagate to pytest's capture: listen to the module's logger directly.
    monkeypatch.setattr(forms.log, "disabled", False)
    records = _Records()
    forms.log.addHandler(records)
    try:
        assert forms._supported() is False
    finally:
        forms.log.removeHandler(records)
    assert any("4.0.0" in m for m in records.messages)


def _page_with_an_error(app) -> str:
    editor = factories.UserWithToken()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": editor["token"]}

    def post(url, data, status):
        return app.post(url, data=data, headers=headers, follow_redirects=False, status=status)

    page1 = {"title": "Posyandu", "name": "posyandu", "notes": "Posyandu.", "owner_org": org["id"], "save": ""}
    post("/dataset/new", dict(page1, _ckan_phase="dataset_new_1", pkg_name=""), 302)
    page2 = {k: SDI_DEFAULTS[k] for k in ("konsep", "klasifikasi_penyajian", "ukuran", "satuan", "jenis")}
    post("/dataset/new/posyandu/2", dict(page2, jenis_statistik="sektoral", _ckan_phase="2", save=""), 302)
    page3 = {"accrualPeriodicity": "tahunan", "accessRights": "terbuka", "tingkat_penyajian": "kelurahan"}
    return post("/dataset/new/posyandu/3", dict(page3, tahun_data="1800", _ckan_phase="3", save=""), 200).get_data(
        as_text=True
    )


@pytest.mark.usefixtures("clean_db")
def test_scheming_still_sends_the_page_back_to_page_one_without_the_fix(app):
    """If this fails, ckanext-scheming fixed its form: remove ``sdi/forms.py``."""
    before_render_template.disconnect(forms._keep_page_action)
    try:
        html = _page_with_an_error(app)
    finally:
        forms.install()
    assert 'action="/dataset/new"' in html
    assert 'action="/dataset/new/posyandu/3"' not in html
