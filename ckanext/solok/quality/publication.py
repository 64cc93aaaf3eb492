"""The personal-data guard: a *terbuka* dataset whose files hold personal identifiers is neither submitted
nor published (UU 27/2022 tentang Pelindungan Data Pribadi), until the producer removes them or the
Walidata confirms, with a note, that they may be published.

The workflow calls :func:`check` before a save moves a dataset to *diajukan* or *terbit*
(``workflow/saves.py``), and :func:`screen` before it holds a producer's change to a published dataset
(``workflow/revisions.py``). A dataset with a pending revision is checked, and confirmed, on its pending
version and the revision's files: that is what its publication would make public.

A confirmation (:func:`confirm`) holds for the files as they are: a new or changed file needs a new one.
It is an event of the audit trail (status unchanged, the Walidata's note) and a fingerprint of the files
kept in Redis; should Redis lose it, the guard refuses again (it fails closed). Messages and logs name
files, columns and kinds of identifier, never a value.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.solok.portal import preview
from ckanext.solok.quality import files, links, score, sdi_checks
from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import revisions
from ckanext.solok.workflow import states as s

log = logging.getLogger(__name__)

#: The data_dict key (and error key) of the guard.
FIELD = "personal_data"


def _kind_labels() -> dict[str, str]:
    return {
        "nik": tk._("NIK"),
        "kk": tk._("KK number"),
        "nip": tk._("NIP"),
        "phone": tk._("phone numbers"),
        "email": tk._("e-mail addresses"),
        "name": tk._("a column named like personal data"),
    }


def _key(package_id: str) -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:quality:confirmed:{package_id}"


def fingerprint(dataset: dict[str, Any]) -> str:
    """The dataset's files as they are (a confirmation holds for these only)."""
    files = [
        [r.get("id"), r.get("url"), str(r.get("last_modified") or ""), str(r.get("size") or "")]
        for r in dataset.get("resources") or []
    ]
    return hashlib.sha256(json.dumps(files).encode("utf-8")).hexdigest()


def findings(dataset: dict[str, Any], pending: dict[str, preview.StoredFile] | None = None) -> list[dict[str, Any]]:
    """``[{file, column, kinds}]`` of a dataset's files, whatever its access class.

    ``pending``: a pending version's files by resource id, read in place of the published ones (then
    nothing is taken from, or kept in, the published version's stored quality result).
    """
    if pending is None:
        check = next(c for c in score.result(dataset)["sdi"] if c["key"] == "personal_data")
        return check["detail"]["found"]
    urls = [str(r.get("url") or "") for r in dataset.get("resources") or [] if r.get("url_type") != "upload"]
    facts = files.facts(dataset, links.results(urls), tk.config.get("ckanext.solok.quality.max_file_bytes"), pending)
    return sdi_checks.personal_data(dataset, facts)["detail"]["found"]


def under_review(package_id: str) -> tuple[dict[str, Any], dict[str, preview.StoredFile] | None]:
    """The version a publication would make public: the pending revision (with its files), else the dataset."""
    row = revisions.get(package_id)
    if row is not None:
        return row["data"], revisions.stored_files(package_id, row)
    return tk.get_action("package_show")({"ignore_auth": True, "user": ""}, {"id": package_id}), None


def pending_findings(package_id: str) -> list[dict[str, Any]]:
    """What the files of a *terbuka* dataset's pending revision hold (``[]`` without one)."""
    row = revisions.get(package_id)
    if row is None or row["data"].get("accessRights") != "terbuka":
        return []
    return findings(row["data"], revisions.stored_files(package_id, row))


def confirmed(dataset: dict[str, Any]) -> bool:
    stored = connect_to_redis().get(_key(dataset["id"]))
    value = stored.decode() if isinstance(stored, bytes) else stored
    return value == fingerprint(dataset)


def describe(found: list[dict[str, Any]]) -> str:
    labels = _kind_labels()
    return "; ".join(
        tk._("{file}, column {column!r}: {kinds}").format(
            file=f["file"], column=f["column"], kinds=", ".join(labels.get(k, k) for k in f["kinds"])
        )
        for f in found
    )


def check(package_id: str, target: str) -> None:
    """Refuse (``ValidationError`` on ``personal_data``) moving a *terbuka* dataset with personal data to ``target``."""
    dataset, pending = under_review(package_id)
    _refuse_unconfirmed(dataset, pending, target)


def screen(dataset: dict[str, Any], pending: dict[str, preview.StoredFile]) -> None:
    """As :func:`check`, for a producer's change to a published dataset about to be held (a submission)."""
    _refuse_unconfirmed(dataset, pending, s.SUBMITTED)


def _refuse_unconfirmed(dataset: dict[str, Any], pending: dict[str, preview.StoredFile] | None, target: str) -> None:
    if dataset.get("accessRights") != "terbuka":
        return
    found = findings(dataset, pending)
    if not found or confirmed(dataset):
        return
    log.info("Refused %s of dataset %s: its files hold personal data", target, dataset["name"])
    action = tk._("submitted") if target == s.SUBMITTED else tk._("published")
    raise tk.ValidationError(
        {
            FIELD: [
                tk._(
                    "This open (terbuka) dataset cannot be {action}: its files hold personal data ({found}). "
                    "Under UU 27/2022 on Personal Data Protection, remove these columns from the file, or change "
                    "the access classification; if the data may be published, the Walidata confirms it with a note."
                ).format(action=action, found=describe(found))
            ]
        }
    )


def confirm(context: Any, dataset: dict[str, Any], note: str) -> None:
    """Record the Walidata's confirmation in the audit trail and keep it for the files as they are."""
    pkg = model.Package.get(dataset["id"])
    user = model.User.get(context.get("user") or "")
    status = s.status_of(pkg)
    text = tk._("Personal data confirmed for publication by the Walidata: {note}").format(note=note)
    audit.record(pkg.id, pkg.owner_org, user.id if user else None, status, status, text)
    model.Session.commit()
    connect_to_redis().set(_key(pkg.id), fingerprint(dataset))
