"""The project's options as the DCAT profile reads them, with the declared defaults even without the plugin.

Another CKAN may install this package only to read our RDF with the
``solok_sdi`` profile (an entry point of ckanext-dcat), without enabling the
``solok`` plugin: its configuration then has no declaration of our options,
and ``config.get`` answers None (the base URI's ``None.endswith`` crashed the
parser). The defaults are read from the plugin's own declaration file, so
there is one list of them.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any

import ckan.plugins.toolkit as tk
import yaml


@functools.cache
def declared_defaults() -> dict[str, Any]:
    text = files("ckanext.solok").joinpath("config_declaration.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    return {o["key"]: o.get("default") for group in doc["groups"] for o in group["options"]}


def get(key: str) -> Any:
    """The configured value of one of our options, else its declared default."""
    value = tk.config.get(key)
    return declared_defaults().get(key) if value is None else value
