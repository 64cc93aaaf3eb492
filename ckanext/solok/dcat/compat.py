"""``/dcat.json`` records a DCAT-JSON harvester takes whole, under the SDI publication rules.

ckanext-dcat's ``dcat_datasets_list`` (plugin ``dcat_json_interface``) turns
each dataset of a catalogue page into a DCAT-JSON record. This chained action
builds the same records (ckanext-dcat's public ``converters.ckan_to_dcat``)
from the same search (:func:`catalogue_page`, the paging and filters ckanext-dcat
documents for its catalogue endpoints), and

* gives every record what ckanext-dcat's DCAT-JSON harvester needs to take it:
  a stable ``identifier`` (the dataset's URI, as in the RDF output), ``issued``,
  ``modified``, ``landingPage``, the OPD as ``publisher``, ``contactPoint``,
  ``accessLevel``, ``license`` as a URL, and distributions with ``accessURL``,
  ``downloadURL``, ``mediaType`` and ``format`` (the harvester crashes on a
  record without an identifier, ckanext-dcat 2.4.4);
* never lists a file URL of a *terbatas* dataset, whoever asks (its
  distributions point at the dataset's page, as in the RDF output);
* carries the SDI fields as top-level keys under their national names
  (``accrualPeriodicity``, ``satuan``, ``produsen_data_name`` …), as the national
  fork of ckanext-dcat reads them. In RDF such flat ``dct:`` literals are not
  Dublin Core and stay opt-in (``solok_sdi_compat``); a JSON record's extra keys
  break no vocabulary, so they are always there.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict
from dateutil.parser import parse as parse_date

from ckanext.dcat import converters
from ckanext.dcat.logic import DATASETS_PER_PAGE
from ckanext.dcat.utils import catalog_uri, dataset_uri, resource_uri
from ckanext.solok.access import rules as access
from ckanext.solok.dcat import mapping
from ckanext.solok.sdi import vocabularies

#: ``accessLevel`` of the DCAT-JSON (Project Open Data) records for each access classification.
ACCESS_LEVELS = {"terbuka": "public", access.RESTRICTED: "restricted public", "tertutup": "non-public"}


def _iso(value: Any) -> str | None:
    return str(value) if value else None


def _publisher(package: dict[str, Any]) -> dict[str, Any]:
    org = package.get("organization") or {}
    out: dict[str, Any] = {"@type": "org:Organization", "name": org.get("title") or org.get("name") or ""}
    if org.get("name"):
        out["identifier"] = f"{catalog_uri().rstrip('/')}/organization/{org['name']}"
    group = model.Group.get(org.get("id") or "") if org.get("id") else None
    email = (group.extras or {}).get("email") if group is not None else None
    if email:
        out["email"] = email
    return out


def _licence_url(licence_id: str | None) -> str | None:
    if not licence_id:
        return None
    licence = model.Package.get_license_register().get(licence_id)
    return licence.url if licence is not None and licence.url else None


def _distribution(package: dict[str, Any], resource: dict[str, Any], landing_page: str) -> dict[str, Any]:
    fmt = resource.get("format") or ""
    term = vocabularies.vocabulary("format").get(fmt)
    out: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "identifier": resource_uri(resource),
        "title": resource.get("name") or "",
        "description": resource.get("description") or "",
        "format": fmt,
        "mediaType": term.extra.get("media_type") if term is not None else None,
        "byteSize": resource.get("size"),
        "modified": _iso(resource.get("last_modified") or resource.get("metadata_modified")),
    }
    if package.get("accessRights") == access.RESTRICTED or not resource.get("url"):
        # No file of a terbatas dataset leaves the portal: the page says how to ask for it.
        out["accessURL"] = landing_page
    else:
        out["accessURL"] = out["downloadURL"] = resource["url"]
    return {k: v for k, v in out.items() if v not in (None, "")}


def record(package: dict[str, Any]) -> dict[str, Any]:
    """The DCAT-JSON record of a dataset, as ``package_search`` returned it to the requester."""
    out = converters.ckan_to_dcat(package)
    landing_page = f"{tk.config.get('ckan.site_url').rstrip('/')}/dataset/{package['name']}"
    out.update(
        {
            "@type": "dcat:Dataset",
            "identifier": dataset_uri(package),
            "issued": _iso(package.get("metadata_created")),
            "modified": _iso(package.get("metadata_modified")),
            "landingPage": landing_page,
            "publisher": _publisher(package),
            "accessLevel": ACCESS_LEVELS.get(package.get("accessRights") or "", "public"),
            "language": [package.get("language") or "id"],
        }
    )
    contact = {"@type": "vcard:Contact", "fn": package.get("maintainer") or out["publisher"]["name"]}
    email = package.get("maintainer_email") or out["publisher"].get("email")
    if email:
        contact["hasEmail"] = f"mailto:{email}"
    out["contactPoint"] = contact
    licence = _licence_url(package.get("license_id"))
    if licence:
        out["license"] = licence
    out["distribution"] = [_distribution(package, r, landing_page) for r in package.get("resources", [])]
    out.pop("creator", None)
    for field in mapping.sdi_fields():
        if not mapping.empty(package.get(field)):
            out[field] = package[field]
    return {k: v for k, v in out.items() if v not in (None, "", {})}


def _page(data_dict: DataDict) -> int:
    try:
        page = int(data_dict.get("page", 1) or 1)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        # ckanext-dcat's own message for its catalogue endpoints.
        raise tk.ValidationError("Page param must be a positive integer starting in 1")
    return page


def catalogue_page(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One page of the catalogue as ckanext-dcat's endpoints search it: ``page``, ``modified_since``,
    ``q``, ``fq``; newest change first; harvest and showcase datasets left out."""
    rows = int(tk.config.get("ckanext.dcat.datasets_per_page") or DATASETS_PER_PAGE)
    fq_list = ["-dataset_type:harvest", "-dataset_type:showcase"]
    modified_since = data_dict.get("modified_since")
    if modified_since:
        try:
            since = parse_date(modified_since).isoformat() + "Z"
        except (ValueError, AttributeError, OverflowError):
            raise tk.ValidationError("Wrong modified date format. Use ISO-8601 format") from None
        fq_list.append(f"metadata_modified:[{since} TO NOW]")
    search = {
        "rows": rows,
        "start": rows * (_page(data_dict) - 1),
        "sort": "metadata_modified desc",
        "q": data_dict.get("q", "*:*"),
        "fq": data_dict.get("fq"),
        "fq_list": fq_list,
    }
    return tk.get_action("package_search")(context, search)


@tk.chained_action
@tk.side_effect_free
def dcat_datasets_list(up_func: Action, context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    tk.check_access("dcat_datasets_list", context, data_dict)
    return [record(package) for package in catalogue_page(context, data_dict)["results"]]
