"""The transition travels as one typed object under one context key (``workflow/transition.py``)."""

from __future__ import annotations

from ckan.tests import helpers

from ckanext.solok.workflow import transition
from ckanext.solok.workflow.transition import CONTEXT_KEY, Transition
from tests.helpers import create_as, in_status


def test_a_request_is_one_typed_object():
    context: dict = {"user": "walidata"}
    transition.request(context, "terbit", "Sudah lengkap.", mail="publish")
    assert set(context) == {"user", CONTEXT_KEY}
    assert transition.get(context) == Transition(new="terbit", note="Sudah lengkap.", requested=True, mail="publish")
    assert transition.pop(context) is not None and CONTEXT_KEY not in context
    context[CONTEXT_KEY] = ("terbit", "")  # the old untyped form is not a transition
    assert transition.get(context) is None


def _solok_keys(context: dict) -> set[str]:
    return {k for k in context if k.startswith("solok_")}


def test_saves_leave_no_workflow_key_in_the_callers_context(roles):
    context = {"user": roles["users"]["producer"]["name"]}
    create_as(roles, "producer")
    helpers.call_action("package_patch", context=context, id="ds-uji", satuan="jiwa")
    assert _solok_keys(context) == set()


def test_a_producers_change_to_a_published_dataset_goes_back_to_review_in_one_object(roles):
    in_status(roles, "terbit")
    context = {"user": roles["users"]["producer"]["name"]}
    changed = helpers.call_action("package_patch", context=context, id="ds-uji", satuan="jiwa")
    # The producer's answer is the pending version (in review); the published one stays public.
    assert (changed["solok_status"], changed["private"]) == ("diajukan", False)
    assert _solok_keys(context) == set()
    last = helpers.call_action("solok_workflow_history", id="ds-uji")[-1]
    assert (last["from_status"], last["to_status"]) == ("terbit", "diajukan")
