"""Keep the SDI form on its page when a page of a new dataset has an error.

ckanext-scheming 3.1.0 shows a form page's validation errors through CKAN's
``EditView``, which points the form of any draft at ``/dataset/new`` (page 1):
correcting the error and pressing "Next" then starts a new dataset and fails
on the empty URL field. When the form being shown is page N of a draft, its
action must stay ``/dataset/new/<name>/N``.

The fix relies on ckanext-scheming 3.1's internals (``SchemingCreatePageView``
renders the error through ``EditView`` with ``_form_page`` in the data, its
endpoint ``<type>.scheming_new_page``) and on CKAN's ``package_form.html``
reading ``g.form_action``. :data:`SUPPORTED` checks the installed version and
view; with any other, the fix is not installed and a warning is logged (the
canary test ``tests/sdi/test_forms.py`` fails too).
"""

from __future__ import annotations

import logging
from importlib.metadata import version
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Flask, before_render_template
from jinja2 import Template

from ckanext.scheming import views as scheming_views

log = logging.getLogger(__name__)

#: The ckanext-scheming releases whose multi-page form this fix was written for.
SCHEMING_VERSIONS = ("3.1.",)


def _supported() -> bool:
    installed = version("ckanext-scheming")
    if installed.startswith(SCHEMING_VERSIONS) and hasattr(scheming_views, "SchemingCreatePageView"):
        return True
    log.warning(
        "solok: the SDI form-page fix is written for ckanext-scheming %s, not %s; it is off "
        "(a form page with an error may send the draft back to page 1)",
        "/".join(v + "x" for v in SCHEMING_VERSIONS),
        installed,
    )
    return False


SUPPORTED = _supported()


def _keep_page_action(sender: Flask, template: Template, context: dict[str, Any], **extra: Any) -> None:
    data = context.get("data")
    if not isinstance(data, dict) or not data.get("_form_page") or not data.get("name"):
        return
    if not str(data.get("state", "")).startswith("draft") or not context.get("errors"):
        return
    package_type = context.get("dataset_type") or data.get("type") or "dataset"
    action = tk.h.url_for(f"{package_type}.scheming_new_page", id=data["name"], page=data["_form_page"])
    tk.g.form_action = action
    context["form_action"] = action


def install() -> bool:
    """Connect the fix (when the installed ckanext-scheming is supported); returns whether it is on."""
    if SUPPORTED:
        # blinker keeps one connection per receiver, so calling this again is harmless.
        before_render_template.connect(_keep_page_action, weak=False)
    return SUPPORTED
