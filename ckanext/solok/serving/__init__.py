"""Serving the portal in production: compression, browser caching of static files, anonymous page cache.

:func:`install` wraps the Flask application's WSGI callable (inside Flask, so CKAN's test client
goes through it too)::

    StaticAndCompression(PageCache(<CKAN's I18nMiddleware → RootPathMiddleware → Flask>))

The production server itself (gunicorn and the job worker) is started by ``scripts/serve.sh``
with :mod:`.gunicorn_conf` and :mod:`.wsgi`; see ``docs/deploy.md``.
"""

from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
import flask

from ckanext.solok.portal import generation
from ckanext.solok.serving.compress import StaticAndCompression
from ckanext.solok.serving.page_cache import PageCache, private_cookies


def _static_prefixes(app: flask.Flask) -> list[str]:
    """First path segments of the files in the public folders (``base``, ``solok``, ``uploads`` …)."""
    names: set[str] = set()
    for folder in app.static_folder or []:  # CKAN's MultiStaticFlask: a list of folders
        if os.path.isdir(folder):
            names.update(entry for entry in os.listdir(folder) if os.path.isdir(os.path.join(folder, entry)))
    return sorted(names)


def install(app: flask.Flask) -> None:
    generation.install()
    app.wsgi_app = StaticAndCompression(  # type: ignore[method-assign]
        PageCache(app.wsgi_app), _static_prefixes(app), tk.config.get("ckan.webassets.url"), private_cookies
    )
