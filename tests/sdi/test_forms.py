"""Canary of the SDI form-page fix (``ckanext/solok/sdi/forms.py``), written for ckanext-scheming 3.1."""

from __future__ import annotations

import logging
from importlib.metadata import version

import pytest
from flask import before_render_template

from ckanext.solok.sdi import forms
from tests.helpers import FORM_PAGE3, sdi_form_up_to_page_3


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
    post = sdi_form_up_to_page_3(app)
    page3 = dict(FORM_PAGE3, tahun_data="1800", _ckan_phase="3", save="")
    return post("/dataset/new/posyandu/3", page3, 200).get_data(as_text=True)


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
