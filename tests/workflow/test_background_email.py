"""The workflow's e-mails through CKAN's job queue (``ckanext.solok.workflow.email_in_background``)."""

from __future__ import annotations

import pytest
from ckan.lib import jobs

from tests.helpers import act, create_as, to


@pytest.mark.usefixtures("clean_redis")
def test_workflow_emails_are_sent_by_the_job_worker_not_the_request(roles, smtp, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.solok.workflow.email_in_background", True)
    create_as(roles, "producer", title="Data Stunting")
    act(roles, "producer", "submit", "ds-uji")
    assert smtp.messages == []  # the transition did not wait for the mail server

    [job] = jobs.get_queue().jobs
    assert job.func_name == "ckanext.solok.workflow.notify.send"
    job.perform()  # what `ckan jobs worker` does with it
    assert [to(m) for m in smtp.messages] == [roles["users"]["walidata"]["email"]]
    mail = smtp.messages[0]
    assert "Dataset diajukan untuk diperiksa" in mail["Subject"] and "Data Stunting" in mail["Subject"]
    assert "/dataset/ds-uji/pemeriksaan" in mail.get_content()
