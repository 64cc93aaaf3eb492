"""Fill the national fields of datasets saved before they existed (``ckan solok national-fields``).

The same values a save writes (``national.derived`` and the workflow's
``states.national_fields``), written straight into the dataset's extras: a
dataset that no longer validates (an old one, a draft) is completed as well,
and nothing else of it changes. ``metadata_modified`` moves forward, so that
the national CKAN harvester, which asks for what changed since its last run,
takes the migrated datasets again. Running it twice changes nothing the
second time.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.solok.sdi import national
from ckanext.solok.workflow import states

log = logging.getLogger(__name__)


@dataclass
class Report:
    checked: int = 0
    changed: list[str] = field(default_factory=list)


def missing_values(pkg: model.Package) -> dict[str, str]:
    """The national fields ``pkg`` lacks or holds out of date (``{}``: nothing to do)."""
    extras = dict(pkg.extras or {})
    dataset: dict[str, Any] = dict(extras, owner_org=pkg.owner_org)
    out = national.derived(dataset)
    for name, value in states.national_fields(states.status_of(pkg)).items():
        if extras.get(name) != value:
            out[name] = value
    return out


def migrate(dry_run: bool = False) -> Report:
    """Complete every dataset that is not deleted; with ``dry_run``, only count them."""
    report = Report()
    ids = model.Session.execute(
        sa.select(model.Package.id).where(model.Package.state != "deleted").order_by(model.Package.id)
    ).scalars()
    for id_ in list(ids):
        pkg = model.Package.get(id_)
        if pkg is None:
            continue
        report.checked += 1
        values = missing_values(pkg)
        if not values:
            continue
        report.changed.append(pkg.name)
        if dry_run:
            continue
        pkg.extras = dict(pkg.extras or {}, **values)
        pkg.metadata_modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        log.info("solok: national fields of %s: %s", pkg.name, ", ".join(sorted(values)))
    if not dry_run:
        model.Session.commit()
    return report
