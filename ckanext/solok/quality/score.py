"""A dataset's quality: its MQA score measured on its own DCAT output, the SDI checks and its files.

:func:`compute` serialises the dataset with the portal's configured RDF profiles (as ``/dataset/<name>.ttl``
would, without the quality measurement itself), validates the graph with the project's SHACL shapes
(MQA's "DCAT-AP compliance"), measures MQA's metrics on it and runs the SDI checks. The dataset is
scored as it is or would be published: an unpublished dataset's score is what it will export.

:func:`result` keeps each result in Redis for as long as the dataset (``metadata_modified``) and the link
checker's results (their generation) are unchanged, and adds what depends on the day (the schedule);
:func:`results` reads many at once for the statistics page.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from pyshacl import validate
from rdflib import Graph

from ckanext.dcat.processors import RDFSerializer
from ckanext.solok.dcat import sdi_terms, shacl
from ckanext.solok.dcat.mapping import safe_uri
from ckanext.solok.quality import files, links, mqa, sdi_checks

#: The RDF profile that exports the measurement (left out when measuring).
PROFILE = "solok_quality"

#: Bumped when what a stored result holds changes, so that older entries are recomputed.
RESULT_FORMAT = 3

#: Stored results are dropped after this long without use (a deleted dataset's, say).
_TTL_SECONDS = 60 * 60 * 24 * 30


def _profiles() -> list[str]:
    configured = str(tk.config.get("ckanext.dcat.rdf.profiles") or "solok_sdi").split()
    return [p for p in configured if p != PROFILE] or ["solok_sdi"]


@functools.lru_cache(maxsize=4)
def _shapes(base: str) -> Graph:
    return shacl.shapes_graph()


def _conforms(g: Graph) -> bool:
    conforms, _, _ = validate(g, shacl_graph=_shapes(sdi_terms.base_uri()), inference="none")
    return bool(conforms)


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url")).rstrip("/")


def _reach(dataset: dict[str, Any], facts: list[dict[str, Any]]) -> mqa.Reach:
    """Whether a URL of the dataset's graph answers: its page (public unless *tertutup*), a stored file, a link."""
    page = f"{_site_url()}/dataset/{dataset.get('name')}"
    known: dict[str, bool | None] = {}
    for fact in facts:
        known[fact["url"]] = known[str(safe_uri(fact["url"]))] = fact["exists"]

    def reach(url: str) -> bool | None:
        if url == page:
            return dataset.get("accessRights") != "tertutup"
        return known.get(url)

    return reach


def compute(dataset: dict[str, Any]) -> dict[str, Any]:
    """The quality of ``dataset`` (a ``package_show`` dict): the score, every check, the files' facts."""
    urls = [str(r.get("url") or "") for r in dataset.get("resources") or [] if r.get("url_type") != "upload"]
    facts = files.facts(dataset, links.results(urls), tk.config.get("ckanext.solok.quality.max_file_bytes"))
    serializer = RDFSerializer(profiles=_profiles())
    ref = serializer.graph_from_dataset(dataset)
    metrics = mqa.measure(serializer.g, ref, mqa.Facts(_reach(dataset, facts), _conforms(serializer.g)))
    score = sum(m["points"] for m in metrics)
    return {
        "format": RESULT_FORMAT,
        "id": dataset.get("id"),
        "access": dataset.get("accessRights") or "",
        "modified": dataset.get("metadata_modified"),
        "score": score,
        "max": mqa.MAX_POINTS,
        "rating": mqa.rating(score),
        "metrics": metrics,
        "sdi": sdi_checks.stored_checks(dataset, facts),
        # Never the URLs: a terbatas dataset's file links are not for everyone who may see its score.
        "files": [{k: v for k, v in f.items() if k != "url"} for f in facts],
        "computed": dt.datetime.utcnow().replace(microsecond=0).isoformat(),
    }


def _prefix() -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:quality:"


def _fresh(entry: dict[str, Any] | None, dataset: dict[str, Any], generation: int) -> bool:
    return bool(
        entry
        and entry.get("format") == RESULT_FORMAT
        and entry.get("modified") == dataset.get("metadata_modified")
        and entry.get("links") == generation
    )


def _with_day(entry: dict[str, Any], dataset: dict[str, Any], grace: int, today: dt.date) -> dict[str, Any]:
    out = dict(entry)
    out["sdi"] = [*entry["sdi"], sdi_checks.up_to_date(dataset, grace, today)]
    out["broken_links"] = sum(1 for f in entry["files"] if f.get("exists") is False)
    return out


def results(
    datasets: Iterable[dict[str, Any]],
    today: dt.date | None = None,
    generation: int | None = None,
    redis: Any = None,
) -> dict[str, dict[str, Any]]:
    """The quality of each dataset by id: stored results where still fresh, computed (and stored) otherwise.

    ``generation`` (the link checker's) and ``redis`` (a client): when the caller has them already (a
    catalog page reads them once for its hundred datasets).
    """
    datasets = [d for d in datasets if d.get("id")]
    if not datasets:
        return {}
    today = today or dt.date.today()
    # Configuration reads are slow (CKAN checks each key): once per call, not per dataset.
    grace = tk.config.get("ckanext.solok.stats.overdue_grace_days")
    prefix = _prefix()
    redis = redis or connect_to_redis()
    generation = links.generation() if generation is None else generation
    stored = redis.mget([prefix + d["id"] for d in datasets])
    out = {}
    for dataset, raw in zip(datasets, stored, strict=True):
        entry = json.loads(raw) if raw else None
        if not _fresh(entry, dataset, generation):
            entry = compute(dataset)
            entry["links"] = generation
            redis.set(prefix + dataset["id"], json.dumps(entry), ex=_TTL_SECONDS)
        out[dataset["id"]] = _with_day(entry, dataset, grace, today)
    return out


def result(
    dataset: dict[str, Any], today: dt.date | None = None, generation: int | None = None, redis: Any = None
) -> dict[str, Any]:
    return results([dataset], today, generation, redis)[dataset["id"]]


def forget(dataset_id: str) -> None:
    connect_to_redis().delete(_prefix() + dataset_id)
