"""The SDI form's last step (the file of a new dataset) checks the whole dataset before it saves anything.

CKAN's resource form first creates the resource, then makes the dataset
active; when a field of an earlier page is missing, the file is already saved
(a retry saves a second copy) and the error names the field by its key.
Here, before CKAN's view runs, *Finish* ("go-metadata") and *Save & add
another* ("again") of a draft dataset try the activation in a savepoint that
is rolled back: if the schema refuses it, nothing is saved and the form is
shown again with each field's label, the form page it is on and a link there.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask
from ckan import model
from ckan.views.resource import CreateView
from flask import request
from markupsafe import Markup, escape

from ckanext.scheming.helpers import scheming_get_dataset_form_pages, scheming_language_text

#: The resource form's buttons that finish the dataset or add another file.
CHECKED_ACTIONS = ("go-metadata", "again")


def _page_of(dataset_type: str) -> dict[str, tuple[int, str, str]]:
    """``{field_name: (page number, page title, field label)}`` of the SDI form."""
    out = {}
    for number, page in enumerate(scheming_get_dataset_form_pages(dataset_type) or [], start=1):
        for field in page["fields"]:
            key = "tags" if field["field_name"] == "tag_string" else field["field_name"]
            out[key] = (number, scheming_language_text(page["title"]), scheming_language_text(field["label"]))
            out[field["field_name"]] = out[key]
    return out


def dataset_errors(context: dict[str, Any], dataset_id: str) -> dict[str, Any]:
    """The schema's errors if the draft dataset were made complete now (nothing is kept)."""
    savepoint = model.Session.begin_nested()
    try:
        tk.get_action("package_patch")(
            tk.fresh_context(context, defer_commit=True),
            {"id": dataset_id, "state": "active"},  # type: ignore[arg-type]
        )
    except tk.ValidationError as error:
        return error.error_dict
    finally:
        if savepoint.is_active:
            savepoint.rollback()
    return {}


def _messages(errors: dict[str, Any], dataset_type: str, name: str) -> tuple[dict[str, str], Markup]:
    pages = _page_of(dataset_type)
    summary: dict[str, str] = {}
    items = []
    for key, value in errors.items():
        text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
        if key not in pages:
            summary[key] = text
            continue
        number, title, label = pages[key]
        where = tk._("page {n}: {title}").format(n=number, title=title)
        summary[f"{label} ({where})"] = text
        url = tk.url_for(f"{dataset_type}.scheming_new_page", id=name, page=number)
        items.append(Markup('<li><a href="{}">{}</a> ({}): {}</li>').format(url, label, where, text))
    intro = escape(tk._("Nothing was saved, not even the file. Complete these fields first:"))
    return summary, Markup("{}<ul>{}</ul>").format(intro, Markup("").join(items))


def check(*args: Any, **kwargs: Any) -> Any:
    """``before_request``: refuse the last step of an incomplete draft, saving nothing."""
    if request.method != "POST" or not (request.endpoint or "").endswith("_resource.new"):
        return None
    if request.form.get("save") not in CHECKED_ACTIONS or not tk.current_user.is_authenticated:
        return None
    dataset_id = (request.view_args or {}).get("id", "")
    pkg = model.Package.get(dataset_id)
    if pkg is None or pkg.state != "draft":
        return None
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    try:
        errors = dataset_errors(context, pkg.id)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None  # CKAN's view answers these
    if not errors:
        return None
    summary, listing = _messages(errors, pkg.type, pkg.name)
    tk.h.flash_error(listing, allow_html=True)
    data = {k: v for k, v in request.form.items() if k not in ("save", "upload", "id")}
    if request.files.get("upload"):
        data.pop("url", None)  # the chosen file was not kept: the form asks for it again
    return CreateView().get(pkg.type, pkg.name, data, {}, summary)


def install(app: flask.Flask) -> None:
    app.before_request(check)
