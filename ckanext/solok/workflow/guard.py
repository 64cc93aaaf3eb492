"""What keeps a transition honest when several people act at once.

* :func:`lock` takes the dataset's row lock (``SELECT … FOR UPDATE`` on the
  ``package`` row) and re-reads the dataset, so that two transitions of one
  dataset run one after the other and the second sees the first one's status.
  The lock lasts until CKAN commits the save (or rolls it back).
* :func:`version` names the content the Walidata reviewed: the review page
  puts it in its publish and return forms, and :func:`check_reviewed` refuses
  the transition when the dataset changed since (a producer's save, a new or
  replaced file). It is computed from the database rows, never from what a
  user is allowed to see, so the same dataset gives the same version to
  everyone. A pending revision (``revisions``) is part of the content: a
  producer's change to it, or a new pending file, changes the version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.solok.workflow.model import revision_table

#: The data_dict key (and form field) of the reviewed version.
FIELD = "reviewed_version"


def lock(pkg: model.Package) -> model.Package:
    """Wait for and hold the dataset's row lock, then re-read it (its status is in the row's ``extras``)."""
    return (
        model.Session.query(model.Package)
        .filter(model.Package.id == pkg.id)
        .with_for_update()
        .populate_existing()
        .one()
    )


def _rows(table: sa.Table, *where: Any, order_by: Any = None) -> list[dict[str, Any]]:
    query = sa.select(table).where(*where)
    if order_by is not None:
        query = query.order_by(order_by)
    return [dict(r) for r in model.Session.execute(query).mappings()]


def _content(package_id: str) -> dict[str, Any]:
    """Every stored row a review looks at: the dataset, its files, its tags, its pending revision."""
    package = model.package_table
    resource = model.resource_table
    tags = sa.select(model.tag_table.c.name).join(
        model.package_tag_table, model.package_tag_table.c.tag_id == model.tag_table.c.id
    )
    return {
        "revision": _rows(revision_table, revision_table.c.package_id == package_id),
        "package": _rows(package, package.c.id == package_id),
        "resources": _rows(
            resource, resource.c.package_id == package_id, resource.c.state != "deleted", order_by=resource.c.position
        ),
        "tags": sorted(
            model.Session.execute(
                tags.where(
                    model.package_tag_table.c.package_id == package_id, model.package_tag_table.c.state == "active"
                )
            ).scalars()
        ),
    }


def version(package_id: str) -> str:
    """The dataset's version: when it was last modified, and a digest of everything it holds."""
    content = _content(package_id)
    modified = content["package"][0]["metadata_modified"] if content["package"] else None
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return f"{modified.strftime('%Y%m%dT%H%M%S%f') if modified else '0'}-{digest[:24]}"


#: What the review page's form sends when it lacks the field (an old page, a hand-made request).
MISSING = "-"


def check_reviewed(pkg: model.Package, reviewed: Any) -> None:
    """Refuse (``ValidationError`` on :data:`FIELD`, HTTP 409) when ``reviewed`` is not the current version.

    ``reviewed`` None or empty: the caller did not pin a version (the API allows it).
    """
    if reviewed in (None, ""):
        return
    if reviewed == MISSING:
        message = tk._(
            "The form did not say which version you reviewed, so nothing was changed. "
            "Check the current version and decide again."
        )
    elif not isinstance(reviewed, str) or reviewed != version(pkg.id):
        message = tk._(
            "The dataset was changed after the review page was opened, so nothing was changed now. "
            "Check the current version and decide again."
        )
    else:
        return
    raise tk.ValidationError({FIELD: [message]})
