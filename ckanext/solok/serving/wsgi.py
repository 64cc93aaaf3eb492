"""The portal as a WSGI application for a production server.

``gunicorn 'ckanext.solok.serving.wsgi:make_application()'`` with ``CKAN_INI`` set to the
configuration file (what ``scripts/serve.sh`` and the systemd unit do). Logging is configured from
the same file when it has logging sections, as ``ckan`` commands do.
"""

from __future__ import annotations

import configparser
import logging
import os
from logging.config import fileConfig
from typing import Any

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app


def make_application(ini: str | None = None) -> Any:
    path = os.path.abspath(ini or os.environ["CKAN_INI"])
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    if parser.has_section("loggers"):
        fileConfig(path, defaults={"here": os.path.dirname(path)}, disable_existing_loggers=False)
    else:  # a file that inherits everything (use = config:…) and says nothing about logging
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)-5.5s [%(name)s] %(message)s")
    return make_app(CKANConfigLoader(path).get_config())
