"""The portal's theme colours (``ckanext.solok.theme.*_color``), read once for pages and style sheets."""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DEFAULT_COLORS = {"primary": "#0b5d3b", "accent": "#b8860b"}


def color(name: str) -> str:
    """``primary`` or ``accent``; anything but ``#rrggbb`` is ignored, as it goes into a style sheet."""
    value = str(tk.config.get(f"ckanext.solok.theme.{name}_color") or "").strip()
    return value if _COLOR.match(value) else _DEFAULT_COLORS[name]
