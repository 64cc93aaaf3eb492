"""gunicorn settings of the portal (``gunicorn -c python:ckanext.solok.serving.gunicorn_conf``).

Sized to the machine: ``2 * cores + 1`` worker processes of ``SOLOK_THREADS`` (default 4) threads
each, so that one slow request (a large preview, a facet-heavy search) never stalls other visitors.
Every value can be set from the environment (``SOLOK_WORKERS``, ``SOLOK_THREADS``, ``SOLOK_BIND``,
``SOLOK_TIMEOUT``) or overridden on gunicorn's command line.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("SOLOK_BIND", "127.0.0.1:5000")
workers = _int("SOLOK_WORKERS", 2 * multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("SOLOK_THREADS", 4)
# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = _int("SOLOK_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# Workers are recycled now and then (memory held by a large request is given back).
max_requests = 5000
max_requests_jitter = 500
# Each worker builds its own CKAN application: no database or Redis connection is shared across a fork.
preload_app = False
# The client's address as the reverse proxy (on this machine) sees it.
forwarded_allow_ips = os.environ.get("SOLOK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# CKAN logs every request already (status, path, render time); SOLOK_ACCESS_LOG=- adds gunicorn's.
accesslog = os.environ.get("SOLOK_ACCESS_LOG") or None
errorlog = "-"
proc_name = "solok-web"
