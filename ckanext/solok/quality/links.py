"""The link checker's results, by URL, kept in Redis for every process (and the score) to read.

Each result is ``{ok, status, content_type, size, format_ok, checked, error}``. Every change of a
result bumps a generation counter, so cached scores that counted the old result are recomputed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis


def _key(name: str) -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:links:{name}"


def generation() -> int:
    value = connect_to_redis().get(_key("generation"))
    return int(value) if value else 0


def results(urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The last result of each URL that was checked."""
    urls = [u for u in dict.fromkeys(urls) if u]
    if not urls:
        return {}
    values = connect_to_redis().hmget(_key("results"), urls)
    return {url: json.loads(value) for url, value in zip(urls, values, strict=True) if value}


def store(url: str, result: dict[str, Any]) -> None:
    """Keep ``result`` for ``url``; a changed outcome makes the cached scores stale."""
    redis = connect_to_redis()
    old = redis.hget(_key("results"), url)
    redis.hset(_key("results"), url, json.dumps(result, sort_keys=True))
    before = json.loads(old) if old else {}
    if (before.get("ok"), before.get("format_ok")) != (result.get("ok"), result.get("format_ok")):
        redis.incr(_key("generation"))


def forget_all() -> None:
    redis = connect_to_redis()
    redis.delete(_key("results"))
    redis.incr(_key("generation"))
