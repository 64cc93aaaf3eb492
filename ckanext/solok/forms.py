"""Keep the SDI form on its page when a page of a new dataset has an error.

ckanext-scheming 3.1.0 shows a form page's validation errors through CKAN's
``EditView``, which points the form of any draft at ``/dataset/new`` (page 1):
correcting the error and pressing "Next" then starts a new dataset and fails
on the empty URL field. When the form being shown is page N of a draft, its
action must stay ``/dataset/new/<name>/N``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Flask, before_render_template
from jinja2 import Template


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


def install() -> None:
    # blinker keeps one connection per receiver, so calling this again is harmless.
    before_render_template.connect(_keep_page_action, weak=False)
