"""The portal as a WSGI application for a production server.

``gunicorn 'ckanext.solok.serving.wsgi:make_application()'`` with ``CKAN_INI`` set to the
configuration file (what ``scripts/serve.sh`` and the systemd unit do). Logging is configured from
the same file, as ``ckan`` commands do.
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app


def make_application(ini: str | None = None) -> Any:
    path = os.path.abspath(ini or os.environ["CKAN_INI"])
    fileConfig(path, disable_existing_loggers=False)
    return make_app(CKANConfigLoader(path).get_config())
