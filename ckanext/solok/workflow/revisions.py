"""Pending revisions: a producer's change to a published dataset waits beside it until the Walidata publishes it.

The published dataset stays what CKAN stores (package, resources, search
index, activity): every public output keeps reading it. The change is held in
the project's table ``solok_revision`` (one row per dataset): the dataset as
the producer saved it, in ``package_show``'s format, its review status
(``diajukan`` or ``dikembalikan``) and the files uploaded for it, stored apart
under ``<ckan.storage_path>/solok_revisions/<dataset id>/<resource id>``, never
at the path CKAN serves. See ``docs/revisions.md``.

* :func:`hold` is the producer's ``package_update`` (and so ``package_patch``,
  ``resource_create``/``update``/``delete`` and the forms): CKAN's own
  ``package_update`` validates and dictizes the change inside a savepoint
  that is then rolled back, so the pending version is exactly what CKAN would
  have saved, and nothing of it reaches the published rows or the index.
* :func:`shows_pending` decides who sees the pending version in
  ``package_show``: the OPD's editors who cannot publish (the producers).
* :func:`apply_files` runs inside the publication's save: pending files replace
  the public ones (same resource ids, same URLs) and the row goes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import munge, uploader
from ckan.types import Action, Context, DataDict
from werkzeug.datastructures import FileStorage

from ckanext.solok.portal import preview
from ckanext.solok.workflow import decisions, guard, notify, transition
from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s
from ckanext.solok.workflow.model import revision_table

#: Context key of the savepoint save that only captures the pending version.
CAPTURE = "solok_revision_capture"
#: Keys the pending view adds to ``package_show``'s answer (never saved).
OVERLAY = "solok_revision"
_capturing: ContextVar[bool] = ContextVar("solok_revision_capturing", default=False)
#: Keys that differ between two saves of the same content.
_VOLATILE = {"metadata_modified", OVERLAY}


def get(package_id: str) -> dict[str, Any] | None:
    """The pending revision of a dataset: ``{status, data, files, user_id, created, modified}``, or None."""
    found = (
        model.Session.execute(sa.select(revision_table).where(revision_table.c.package_id == package_id))
        .mappings()
        .first()
    )
    if found is None:
        return None
    row = dict(found)
    row["data"] = json.loads(row["data"])
    row["files"] = json.loads(row["files"] or "{}")
    return row


def pending_ids(package_ids: list[str]) -> dict[str, str]:
    """``{package_id: review status}`` of those of ``package_ids`` that have a pending revision."""
    if not package_ids:
        return {}
    query = sa.select(revision_table.c.package_id, revision_table.c.status).where(
        revision_table.c.package_id.in_(package_ids)
    )
    return {r.package_id: r.status for r in model.Session.execute(query)}


def published_version(package_id: str) -> dict[str, Any]:
    """The dataset as the public sees it, whoever asks (an empty user: CKAN would fill in the request's)."""
    context: Context = {"ignore_auth": True, "user": ""}  # type: ignore[typeddict-item]
    return tk.get_action("package_show")(context, {"id": package_id})


def review_status(pkg: model.Package) -> str:
    """The status the workflow reviews: the pending revision's, else the dataset's own."""
    pending = pending_ids([pkg.id])
    return pending.get(pkg.id) or s.status_of(pkg)


def set_status(package_id: str, status: str) -> None:
    model.Session.execute(
        revision_table.update()
        .where(revision_table.c.package_id == package_id)
        .values(status=status, modified=dt.datetime.utcnow())
    )


def holds(context: Context, pkg: model.Package | None) -> bool:
    """Whether this save of ``pkg`` is a producer's change to be held as a pending revision."""
    if pkg is None or pkg.state != "active" or s.status_of(pkg) != s.PUBLISHED:
        return False
    if context.get(CAPTURE) or transition.get(context) is not None:
        return False
    user = context.get("user")
    if not user and context.get("ignore_auth"):
        return False  # code without a user (jobs, CLI) saves directly
    return not s.can_publish(user, pkg.owner_org)


def shows_pending(context: Context, owner_org: str | None) -> bool:
    """The producers (the OPD's editors who cannot publish) read and edit the pending version."""
    if context.get(CAPTURE) or _capturing.get():
        # The capture compares with, and reads back, the stored rows (CKAN's nested calls drop our context key).
        return False
    user = context.get("user")
    return bool(user) and s.is_producer(user, owner_org) and not s.can_publish(user, owner_org)


def view(published: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The pending version as its producer sees it."""
    data = dict(row["data"])
    data[s.FIELD] = row["status"]
    data[OVERLAY] = {
        "status": row["status"],
        "published_online": not published.get("private"),
        "modified": row["modified"].isoformat(),
        "files": sorted(row["files"]),
    }
    return data


def _storage_root() -> str | None:
    path = uploader.get_storage_path()
    return os.path.join(path, "solok_revisions") if path else None


def file_path(package_id: str, resource_id: str) -> str:
    root = _storage_root()
    if root is None:
        raise tk.ValidationError({"upload": [tk._("File uploads are not configured on this portal.")]})
    # Ids are uuids: they cannot climb out of the folder, but check as CKAN's uploader does.
    path = os.path.realpath(os.path.join(root, package_id, resource_id))
    if not path.startswith(os.path.realpath(root) + os.sep):
        raise tk.ValidationError({"upload": [tk._("Invalid storage path")]})
    return path


def stored_files(package_id: str, row: dict[str, Any]) -> dict[str, preview.StoredFile]:
    """The pending files of ``row`` by resource id, to be read in place of the published ones."""
    out = {}
    for resource_id in row["files"]:
        try:
            out[resource_id] = preview.file_at(file_path(package_id, resource_id))
        except preview.PreviewError:
            out[resource_id] = _missing()
    return out


def _missing() -> preview.StoredFile:
    """A pending file that is gone: not read (never the published file in its place)."""

    def read(limit: int) -> bytes:
        raise preview.PreviewError("missing")

    return preview.StoredFile(0, None, read)


def _in_memory(upload: FileStorage, size: int) -> preview.StoredFile:
    """An upload not yet stored, read from its stream (left at its start for storing)."""

    def read(limit: int) -> bytes:
        upload.stream.seek(0)
        try:
            return upload.stream.read(limit)
        finally:
            upload.stream.seek(0)

    return preview.StoredFile(size, None, read)


def _stable_name(new: str, published_url: str | None) -> str:
    """A replaced file keeps its published file name when its kind (extension) is the same, so its URL stays."""
    if not published_url:
        return new
    old = published_url.rsplit("/", 1)[-1]
    return old if os.path.splitext(old)[1].lower() == os.path.splitext(new)[1].lower() else new


def _take_uploads(data_dict: DataDict, published: dict[str, Any]) -> list[tuple[str, FileStorage]]:
    """Take the uploads out of the save (CKAN would write them over the public files) and describe them."""
    uploaded = {r["id"]: r.get("url") for r in published.get("resources", []) if r.get("url_type") == "upload"}
    taken = []
    for resource in data_dict.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        upload = resource.pop("upload", None)
        if resource.pop("clear_upload", None) and not upload:
            resource["url_type"] = ""
        if not isinstance(upload, FileStorage) or not upload.filename:
            continue
        resource.setdefault("id", str(uuid.uuid4()))
        if not resource["id"]:
            resource["id"] = str(uuid.uuid4())
        resource["url"] = _stable_name(munge.munge_filename(upload.filename), uploaded.get(resource["id"]))
        resource["url_type"] = "upload"
        resource["last_modified"] = dt.datetime.utcnow().isoformat()
        resource["size"] = _size(upload)
        taken.append((resource["id"], upload))
    return taken


def _size(upload: FileStorage) -> int:
    upload.stream.seek(0, os.SEEK_END)
    size = upload.stream.tell()
    upload.stream.seek(0)
    return size


def _store(package_id: str, resource_id: str, upload: FileStorage) -> dict[str, Any]:
    """Write a pending file apart from CKAN's storage; its size and SHA-256."""
    path = file_path(package_id, resource_id)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    limit = uploader.get_max_resource_size() * 1024 * 1024
    digest, size = hashlib.sha256(), 0
    tmp = path + "~"
    with open(tmp, "wb") as out:
        while chunk := upload.stream.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                out.close()
                os.remove(tmp)
                raise tk.ValidationError({"upload": [tk._("File upload too large")]})
            digest.update(chunk)
            out.write(chunk)
    os.replace(tmp, path)
    return {"size": size, "sha256": digest.hexdigest(), "filename": munge.munge_filename(upload.filename or "")}


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in _VOLATILE and k != s.FIELD}
    out["resources"] = [
        {k: v for k, v in r.items() if k not in ("metadata_modified", "position")} for r in data.get("resources", [])
    ]
    return out


def hold(
    original: Action,
    context: Context,
    data_dict: DataDict,
    pkg: model.Package,
    prepare: Callable[[Context, DataDict], None],
    screen: Callable[[dict[str, Any], dict[str, preview.StoredFile]], None] | None = None,
) -> dict[str, Any]:
    """Save a producer's change to a published dataset as its pending revision (see the module's doc).

    ``prepare`` is the save's own preparation (``saves.prepare_update``), run inside the savepoint.
    ``screen`` checks a change that goes (or stays) in review, as a submission is checked: it gets the
    pending version and its files by resource id (stored or just uploaded) and raises to refuse it;
    nothing is then held. A returned revision's changes are not screened until it is submitted again.
    """
    pkg = guard.lock(pkg)  # before the savepoint: a lock taken inside it would go with its rollback
    row = get(pkg.id)
    published = published_version(pkg.id)
    for key in (OVERLAY, s.FIELD):
        data_dict.pop(key, None)
    uploads = _take_uploads(data_dict, published)
    capture = dict(context)
    capture.pop("original_package", None)
    capture.update({CAPTURE: True, "defer_commit": True})  # type: ignore[typeddict-item]
    capture_ctx: Context = capture  # type: ignore[assignment]
    savepoint = model.Session.begin_nested()
    token = _capturing.set(True)
    try:
        prepare(capture_ctx, data_dict)
        result = original(capture_ctx, data_dict)
        transition.pop(capture_ctx)
    except Exception:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    finally:
        _capturing.reset(token)
    if savepoint.is_active:
        savepoint.rollback()
    model.Session.expire_all()
    if not isinstance(result, dict):
        result = tk.get_action("package_show")(tk.fresh_context(capture_ctx, ignore_auth=True), {"id": pkg.id})
    base = row["data"] if row else published
    files = dict(row["files"]) if row else {}
    if _comparable(result) == _comparable(base) and not uploads:
        return view(published, row) if row else published
    kept = {r["id"] for r in result.get("resources", [])}
    if screen is not None and (row is None or row["status"] == s.SUBMITTED):
        pending = {k: v for k, v in stored_files(pkg.id, row).items() if k in kept} if row else {}
        pending.update({rid: _in_memory(upload, _size(upload)) for rid, upload in uploads})
        try:
            screen(result, pending)
        except tk.ValidationError:
            model.Session.rollback()  # nothing was written: let the row lock go now
            raise
    for resource_id, upload in uploads:
        files[resource_id] = _store(pkg.id, resource_id, upload)
    for resource_id in [r for r in files if r not in kept]:
        _remove(pkg.id, resource_id)
        del files[resource_id]
    result[s.FIELD] = s.PUBLISHED
    now = dt.datetime.utcnow()
    values = {"data": json.dumps(result, default=str), "files": json.dumps(files), "modified": now}
    user = model.User.get(context.get("user") or "")
    if row is None:
        model.Session.execute(
            revision_table.insert().values(
                package_id=pkg.id, status=s.SUBMITTED, user_id=user.id if user else None, created=now, **values
            )
        )
        note = audit.portal_note("pending_change")  # shown in each reader's language
        audit.record(pkg.id, pkg.owner_org, user.id if user else None, s.PUBLISHED, s.SUBMITTED, note)
        decisions.record(pkg, user.id if user else None, s.PUBLISHED, s.SUBMITTED, note, revision=True)
    else:
        model.Session.execute(revision_table.update().where(revision_table.c.package_id == pkg.id).values(**values))
    if not context.get("defer_commit"):
        model.repo.commit()
    if row is None:
        notify.transition("submit", pkg.id, "", context.get("user"))
    fresh = get(pkg.id)
    assert fresh is not None
    return view(published, fresh)


def _remove(package_id: str, resource_id: str) -> None:
    try:
        os.remove(file_path(package_id, resource_id))
    except OSError:
        pass


def publication_data(row: dict[str, Any]) -> dict[str, Any]:
    """What the publication saves: the pending version, without what the workflow sets."""
    data = dict(row["data"])
    for key in (OVERLAY, s.FIELD, "metadata_modified", "metadata_created", "private"):
        data.pop(key, None)
    return data


def apply_files(package_id: str) -> None:
    """Inside the publication's save: the pending files take the public files' place; the revision goes.

    The public path is keyed by the resource id, so the file's URL does not change.
    """
    row = get(package_id)
    if row is None:
        return
    for resource_id in row["files"]:
        source = file_path(package_id, resource_id)
        if not os.path.exists(source):
            continue
        upload = uploader.get_resource_uploader({"id": resource_id, "url_type": "upload"})
        target = upload.get_path(resource_id)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target + "~")
        os.replace(target + "~", target)
        os.remove(source)
        preview.forget(resource_id)
    discard(package_id, files_too=False)


def discard(package_id: str, files_too: bool = True) -> None:
    """Drop the pending revision (and its files)."""
    if files_too:
        row = get(package_id)
        for resource_id in (row or {}).get("files", {}):
            _remove(package_id, resource_id)
    model.Session.execute(revision_table.delete().where(revision_table.c.package_id == package_id))
