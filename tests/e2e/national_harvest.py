"""Run the national portal's harvesters in a second CKAN (a script, run by ``test_national_harvest.py``).

``python national_harvest.py <ini> <portal URL> <output.json>``: with the
second CKAN's configuration (ckanext-harvest and ckanext-dcat's harvesters, the
national schema fixture), harvest the running portal with the CKAN harvester,
the DCAT-RDF harvester and the DCAT-JSON harvester in turn, each through all
its stages (ckanext-harvest's ``run_test_harvester``: gather, fetch, import,
synchronously), and write what arrived (``package_show`` of every harvested
dataset) and the harvest errors as JSON. Each source's datasets are purged
before the next runs, so the three never share a dataset name.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main(ini: str, portal: str, output: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    flask_app = getattr(app, "_wsgi_app", app)
    with flask_app.test_request_context():
        result = harvest_all(portal.rstrip("/"))
    with open(output, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


def harvest_all(portal: str) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.harvest import utils
    from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectError

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site_user["name"], "ignore_auth": True}
    org = tk.get_action("organization_create")(context, {"name": "pemkot-solok", "title": "Pemerintah Kota Solok"})
    sources = {"ckan": portal, "dcat_rdf": f"{portal}/catalog.ttl", "dcat_json": f"{portal}/dcat.json"}
    out: dict[str, Any] = {}
    for kind, url in sources.items():
        source = tk.get_action("harvest_source_create")(
            dict(context),
            {
                "name": f"kota-solok-{kind.replace('_', '-')}",
                "title": f"Kota Solok ({kind})",
                "url": url,
                "source_type": kind,
                "owner_org": org["id"],
                "frequency": "MANUAL",
            },
        )
        utils.run_test_harvester(source["id"], None)
        ids = [
            row[0]
            for row in model.Session.query(HarvestObject.package_id)
            .filter(HarvestObject.harvest_source_id == source["id"], HarvestObject.current.is_(True))
            .filter(HarvestObject.package_id.isnot(None))
        ]
        datasets = [tk.get_action("package_show")(dict(context), {"id": id_}) for id_ in sorted(set(ids))]
        gather = [
            e.message
            for e in model.Session.query(HarvestGatherError).join(HarvestGatherError.job)
            if e.job.source_id == source["id"]
        ]
        objects = [
            f"{e.stage}: {e.message}"
            for e in model.Session.query(HarvestObjectError)
            .join(HarvestObject)
            .filter(HarvestObject.harvest_source_id == source["id"])
        ]
        out[kind] = {"datasets": datasets, "gather_errors": gather, "object_errors": objects}
        # ckanext-harvest's harvest_source_clear writes to Solr directly; purging goes through CKAN's index.
        for id_ in set(ids):
            tk.get_action("dataset_purge")(dict(context), {"id": id_})
    return out


if __name__ == "__main__":
    main(*sys.argv[1:4])
