"""Template helpers of the quality checks: a dataset's score with what to fix, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.solok.quality import mqa, publication, schedule


def _rating_labels() -> dict[str, str]:
    return {
        "excellent": tk._("Excellent"),
        "good": tk._("Good"),
        "sufficient": tk._("Sufficient"),
        "bad": tk._("Bad"),
    }


def _dimension_labels() -> dict[str, str]:
    return {
        "findability": tk._("Findability"),
        "accessibility": tk._("Accessibility"),
        "interoperability": tk._("Interoperability"),
        "reusability": tk._("Reusability"),
        "contextuality": tk._("Contextuality"),
    }


def _metric_texts() -> dict[str, tuple[str, str]]:
    """Each MQA metric: what it checks, and what to do when it fails."""
    return {
        "keyword": (tk._("Keywords"), tk._("Add keywords (tags) to the dataset.")),
        "theme": (tk._("Topic"), tk._("Choose the dataset's topic (Urusan).")),
        "spatial": (tk._("Area covered"), tk._("Fill in the area covered (Cakupan Wilayah).")),
        "temporal": (tk._("Period covered"), tk._("Fill in the period the data covers (or the data year).")),
        "access_url_status": (
            tk._("Access URL answers"),
            tk._("A file or link does not answer: upload the file again or correct the link."),
        ),
        "download_url": (
            tk._("Download URL present"),
            tk._("Files of a terbatas dataset have no public download URL; an open dataset needs a file or link."),
        ),
        "download_url_status": (
            tk._("Download URL answers"),
            tk._("A file or link cannot be downloaded: upload the file again or correct the link."),
        ),
        "format": (tk._("File format"), tk._("Choose the format of every file.")),
        "media_type": (tk._("Media type"), tk._("Choose a format from the list, so the media type is known.")),
        "format_vocabulary": (
            tk._("Format from a vocabulary"),
            tk._("Choose a format of the list (EU file types) for every file."),
        ),
        "non_proprietary": (
            tk._("Non-proprietary format"),
            tk._("Publish the data in an open format as well (CSV, JSON, ODS …), not only XLS, XLSX or DOCX."),
        ),
        "machine_readable": (
            tk._("Machine-readable format"),
            tk._("Publish the table as CSV or XLSX as well, not only as PDF, an image or an archive."),
        ),
        "dcat_ap": (
            tk._("DCAT-AP compliant"),
            tk._("The dataset's DCAT export breaks a rule of DCAT-AP: ask the portal's administrator."),
        ),
        "licence": (tk._("Licence"), tk._("Choose a licence.")),
        "licence_vocabulary": (
            tk._("Licence from a vocabulary"),
            tk._("Choose a common open licence (CC-BY, CC0 …), which has an EU licence identifier."),
        ),
        "access_rights": (tk._("Access classification"), tk._("Fill in the access classification.")),
        "access_rights_vocabulary": (
            tk._("Access classification from a vocabulary"),
            tk._("Fill in the access classification."),
        ),
        "contact_point": (tk._("Contact point"), tk._("Fill in the contact person and e-mail address.")),
        "publisher": (tk._("Publisher"), tk._("The publisher (the Walidata) is missing: ask the administrator.")),
        "rights": (tk._("Rights statement"), tk._("Fill in the access classification.")),
        "byte_size": (tk._("File size"), tk._("Upload the file to the portal, so that its size is known.")),
        "issued": (tk._("Date of issue"), tk._("Files without a creation date: upload them again.")),
        "modified": (tk._("Date of change"), tk._("Upload the file to the portal, so that its last change is known.")),
    }


#: Metrics a *terbatas* dataset cannot meet: its export has no download URL (docs/dcat.md).
_NO_PUBLIC_FILE = frozenset({"download_url", "download_url_status"})


def _sdi_text(check: dict[str, Any]) -> tuple[str, str]:
    """An SDI check: its name, and what its result means."""
    key, ok, detail = check["key"], check["ok"], check.get("detail") or {}
    if key == "standard_code":
        name = tk._("Standard data code")
        if ok:
            return name, tk._("Present and well formed.")
        if detail.get("missing"):
            return name, tk._("Missing: add the Kode Standar Data of the data's SDI standard, if it has one.")
        return name, tk._("Not of the form SP00055.00.00.")
    if key == "region_code":
        name = tk._("Region reference code")
        if ok:
            return name, tk._("A Kemendagri code of Kota Solok.")
        return name, tk._("Choose the area covered from the list of Kemendagri codes of Kota Solok.")
    if key == "period":
        name = tk._("Period and schedule")
        reason = detail.get("reason")
        if ok is None:
            return name, tk._("No period given.")
        if ok:
            return name, tk._("The period fits the data year and the update frequency.")
        if reason == "reversed":
            return name, tk._("The period ends before it starts.")
        if reason == "year_outside":
            return name, tk._("The data year {year} is outside the period.").format(year=detail.get("year"))
        return name, tk._("The period covers {days} days, less than one update period of the data.").format(
            days=detail.get("days")
        )
    if key == "file_format":
        name = tk._("Files match their format")
        names = ", ".join(detail.get("names") or [])
        if ok:
            return name, tk._("Every file's content is of its declared format.")
        if ok is False:
            return name, tk._("Content not of the declared format: {names}.").format(names=names)
        return name, tk._("Not checked yet: {names}.").format(names=names) if names else tk._("No file.")
    if key == "personal_data":
        name = tk._("Personal data (UU 27/2022)")
        found = "; ".join(
            tk._("{file}, column {column!r}").format(file=f["file"], column=f["column"])
            for f in detail.get("found") or []
        )
        if ok:
            return name, tk._("No personal identifier found in the files.")
        if ok is False:
            return name, tk._(
                "Found in {found}: remove it from the file, or the Walidata confirms with a note that it may "
                "be published."
            ).format(found=found)
        if found:
            return name, tk._("Found in {found}; the dataset is not open, so it is not published.").format(found=found)
        return name, tk._("Not checked (the dataset is not open).")
    if key == "up_to_date":
        name = tk._("Up to date")
        if ok is None:
            return name, tk._("No regular schedule.")
        if ok:
            return name, tk._("Next update due {date}.").format(date=detail.get("due"))
        return name, tk._("Overdue since {date}.").format(date=detail.get("due"))
    return key, ""


def _link_text(fact: dict[str, Any]) -> str:
    """Why a link is broken or was not checked (the link checker's ``error``)."""
    error = fact.get("error") or ""
    texts = {
        "http_status": tk._("Broken link: it answers HTTP {status}.").format(status=fact.get("status")),
        "timeout": tk._("Broken link: no answer in time."),
        "connection": tk._("Broken link: the server cannot be reached."),
        "unresolved": tk._("Broken link: the host name does not exist."),
        "too_many_redirects": tk._("Broken link: too many redirects."),
        "private_address": tk._("Not checked: private address (not in the link allowlist)."),
        "unsupported_scheme": tk._("Not checked: not an HTTP or HTTPS address."),
    }
    return texts.get(error, tk._("Broken link."))


def _links(result: dict[str, Any]) -> list[dict[str, str]]:
    """The links to look at: broken ones, and those the checker refused to fetch."""
    return [
        {"name": f.get("name") or "", "text": _link_text(f), "broken": f.get("exists") is False}
        for f in result["files"]
        if not f.get("upload") and (f.get("exists") is False or f.get("error"))
    ]


def present(result: dict[str, Any]) -> dict[str, Any]:
    """A quality result as the pages show it: labels, what to fix first and the points it gains."""
    texts = _metric_texts()
    dimensions = _dimension_labels()
    todo = []
    for metric in result["metrics"]:
        gain = metric["max"] - metric["points"]
        if gain > 0:
            label, fix = texts[metric["key"]]
            expected = result.get("access") == "terbatas" and metric["key"] in _NO_PUBLIC_FILE
            if expected:
                fix = tk._("Expected for a terbatas dataset: its files are not public, so it has no download URL.")
            elif metric.get("unknown"):
                fix = tk._("Links not checked yet.") + " " + fix
            todo.append({"key": metric["key"], "label": label, "fix": fix, "gain": gain, "expected": expected})
    todo.sort(key=lambda t: -t["gain"])
    sdi = []
    for check in result["sdi"]:
        name, text = _sdi_text(check)
        sdi.append({"key": check["key"], "ok": check["ok"], "label": name, "text": text})
    personal = next((c for c in result["sdi"] if c["key"] == "personal_data"), None)
    return {
        "score": result["score"],
        "max": result["max"],
        "rating": result["rating"],
        "rating_label": _rating_labels()[result["rating"]],
        "excellent_from": mqa.RATINGS[0][1],
        "dimensions": [
            {
                "label": dimensions[d],
                "points": sum(m["points"] for m in result["metrics"] if m["dimension"] == d),
                "max": sum(m["max"] for m in result["metrics"] if m["dimension"] == d),
            }
            for d in mqa.DIMENSIONS
        ],
        "todo": todo,
        "sdi": sdi,
        "broken_links": result.get("broken_links", 0),
        "links": _links(result),
        "personal_data": bool(personal and personal["ok"] is False),
        "computed": result.get("computed"),
    }


def solok_quality(package_id: str) -> dict[str, Any] | None:
    """The dataset's quality for the current user, or None when it is not theirs to see."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    try:
        result = tk.get_action("solok_quality_show")({"user": user}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    out = present(result)
    # The score is the published version's; a pending change's personal data is what its publication would
    # add, shown to those who may see the pending changes.
    out["pending_personal_data"] = ""
    try:
        tk.check_access("solok_workflow_changes", {"user": user}, {"id": result["id"]})
    except tk.NotAuthorized:
        return out
    pending = publication.pending_findings(result["id"])
    out["pending_personal_data"] = publication.describe(pending) if pending else ""
    return out


def solok_next_update(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """``{date, overdue}`` of a dataset's next update (None: irregular or one-off data)."""
    due = schedule.next_update(pkg, tk.config.get("ckanext.solok.stats.overdue_grace_days"))
    if due is None:
        return None
    return {"date": due, "overdue": due < dt.date.today()}


def solok_quality_rating_label(rating: str) -> str:
    return _rating_labels().get(rating, rating)


def get_helpers() -> dict[str, Any]:
    return {f.__name__: f for f in (solok_quality, solok_quality_rating_label, solok_next_update)}
