"""Daily jobs on CKAN's background queue: each run puts the next one on the queue (rq's scheduler)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ckan.lib import jobs


def schedule_tomorrow(func: Callable[[], Any], job_id: str, hour: int, description: str) -> bool:
    """Queue ``func`` for tomorrow at ``hour``:00 UTC; False when a run is queued already."""
    queue = jobs.get_queue()
    if job_id in queue.scheduled_job_registry.get_job_ids():
        return False
    now = dt.datetime.now(dt.UTC)
    at = (now + dt.timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
    queue.enqueue_at(at, func, job_id=job_id, description=description)
    return True
