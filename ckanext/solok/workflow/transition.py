"""The status change of one dataset save, as one typed object in CKAN's ``context``.

One update crosses several places: a workflow action asks for a target status
(``actions``), the chained ``package_create``/``package_update`` decide the
status before CKAN saves (``saves.prepare_*``), the ``IPackageController``
hooks record the audit event in CKAN's transaction and may turn a producer's
change into a resubmission (``saves.after_*``), and the chained action sends
the e-mail once CKAN's save succeeded. They share a single :class:`Transition`
stored under :data:`CONTEXT_KEY` (``"solok_transition"``), read and written
only through the functions of this module.

CKAN passes the same context dict from ``package_patch`` to
``package_update`` and to the hooks, so the object travels with the save;
``tk.fresh_context`` does not copy it, so nested calls with a fresh context
start without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

from ckan.types import Context

#: The one context key of the workflow.
CONTEXT_KEY = "solok_transition"

#: E-mails sent after a save (``notify.transition``'s kinds).
Mail = Literal["submit", "publish", "return"]


@dataclass
class Transition:
    """A dataset's status before and after one save.

    ``requested`` is set by a workflow action (submit, publish, return) that
    asks for ``new``; otherwise the save's rules decide it. ``note`` goes into
    the audit trail; ``mail`` names the e-mail to send once the save has
    succeeded (None: no e-mail). ``package_id`` is known once the save found
    the dataset; ``recorded`` once the audit event is written (once per save).
    """

    new: str
    old: str | None = None
    note: str = ""
    requested: bool = False
    mail: Mail | None = None
    package_id: str | None = None
    recorded: bool = False

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _slot(context: Context) -> dict[str, Any]:
    # CKAN's Context is a closed TypedDict; the workflow's key is not one of its keys.
    return cast("dict[str, Any]", context)


def get(context: Context) -> Transition | None:
    value = _slot(context).get(CONTEXT_KEY)
    return value if isinstance(value, Transition) else None


def put(context: Context, transition: Transition) -> None:
    _slot(context)[CONTEXT_KEY] = transition


def pop(context: Context) -> Transition | None:
    value = _slot(context).pop(CONTEXT_KEY, None)
    return value if isinstance(value, Transition) else None


def request(context: Context, new: str, note: str, mail: Mail | None) -> None:
    """Ask the next save made with ``context`` to move the dataset to ``new`` (a workflow action)."""
    put(context, Transition(new=new, note=note, requested=True, mail=mail))
