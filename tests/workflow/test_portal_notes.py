"""Notes the portal writes in the review history are stored as codes and read in each reader's language."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers as ckan_helpers

from ckanext.solok.workflow import model as audit
from tests.helpers import headers, in_status

INDONESIAN = "Diubah oleh produsen setelah terbit; versi terbit tetap daring sampai Walidata menerbitkan perubahan ini."
ENGLISH = (
    "Changed by the producer after publication; the published version stays online "
    "until the Walidata publishes the change."
)
OLD_INDONESIAN = "Diubah oleh produsen setelah terbit; kembali ke pemeriksaan."


def test_the_back_to_review_note_reads_in_the_readers_language(app, roles):
    pkg = in_status(roles, "terbit")
    # The producer changes the published dataset on an English page: the note is not stored in English.
    ckan_helpers.call_action(
        "package_patch", context={"user": roles["users"]["producer"]["name"]}, id=pkg["id"], notes="Definisi baru."
    )
    stored = (
        model.Session.execute(sa.select(audit.event_table.c.note).where(audit.event_table.c.package_id == pkg["id"]))
        .scalars()
        .all()
    )
    assert audit.portal_note("pending_change") in stored
    assert ENGLISH not in stored and INDONESIAN not in stored
    walidata = headers(roles, "walidata")
    indonesian = app.get(f"/id/dataset/{pkg['name']}/pemeriksaan", headers=walidata).get_data(as_text=True)
    english = app.get(f"/en/dataset/{pkg['name']}/pemeriksaan", headers=walidata).get_data(as_text=True)
    assert INDONESIAN in indonesian and ENGLISH not in indonesian and "solok-note:" not in indonesian
    assert ENGLISH in english and INDONESIAN not in english


def test_a_persons_note_is_shown_as_written_and_a_broken_one_as_nothing(app):
    with app.flask_app.test_request_context("/id/"):
        assert audit.note_text("Lengkapi satuan.") == "Lengkapi satuan."
        assert audit.note_text("") == "" and audit.note_text(None) == ""
        assert audit.note_text('solok-note:{"code": "tidak-ada"}') == ""
        assert audit.note_text("solok-note:{bukan json") == ""
        assert audit.note_text(audit.portal_note("pending_change")) == INDONESIAN
        # A note stored before pending revisions still reads.
        assert audit.note_text(audit.portal_note("changed_after_publication")) == OLD_INDONESIAN


def test_an_unknown_portal_note_cannot_be_stored():
    with pytest.raises(ValueError, match="unknown workflow note"):
        audit.portal_note("tidak-ada")
