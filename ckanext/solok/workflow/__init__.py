"""Produsen Data → Walidata publishing workflow (Perpres 39/2019, Pasal 34-36).

A dataset's workflow status (``solok_status``) is one of ``draft``,
``diajukan`` (submitted), ``terbit`` (published) and ``dikembalikan``
(returned with a note). Only ``terbit`` datasets are public (CKAN
``private=False``); every other status keeps the dataset private, visible to
its OPD and to the Walidata. Statuses change only through the workflow
actions (``actions``, applied by ``saves``); every change is recorded in ``solok_workflow_event``.
"""
