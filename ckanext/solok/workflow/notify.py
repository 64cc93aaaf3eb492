"""E-mail about workflow transitions, through CKAN's mailer.

Submission tells the Walidata (editors and admins of the Walidata
organisation); publication and return tell the producer (who submitted the
dataset, and who created it). Switched by
``ckanext.solok.workflow.email_notifications`` (``auto``: whenever SMTP is
configured); sent by CKAN's job worker unless
``ckanext.solok.workflow.email_in_background`` is off; a mail server that
fails is logged and never undoes the transition.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.helpers import _get_auto_flask_context
from flask import has_app_context, has_request_context
from flask_babel import force_locale

from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _site_language() -> Iterator[None]:
    """E-mails are written in the portal's language, whatever the request's."""
    if not has_app_context():
        yield
        return
    with force_locale(tk.config.get("ckan.locale_default")):
        yield


def _walidata() -> list[model.User]:
    org = model.Group.get(s.walidata_org())
    if org is None:
        return []
    members = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(
            model.Member.group_id == org.id,
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Member.capacity.in_(["editor", "admin"]),
            model.User.state == "active",
        )
    )
    return list(members)


def _producers(pkg: model.Package) -> list[model.User]:
    ids = [e["user_id"] for e in audit.events(pkg.id) if e["to_status"] == s.SUBMITTED and e["user_id"]]
    ids.append(pkg.creator_user_id)
    users = []
    for user_id in dict.fromkeys(reversed(ids)):  # latest submitter first
        user = model.User.get(user_id) if user_id else None
        if user is not None and user.state == "active":
            users.append(user)
    return users


def _message(kind: str, pkg: model.Package, note: str, actor: str | None) -> tuple[str, str]:
    url = tk.url_for("solok_workflow.review", id=pkg.name, _external=True)
    org = pkg.get_groups("organization")
    opd = org[0].title if org else ""
    if kind == "submit":
        subject = tk._("[Walidata] Dataset submitted for review: {title}").format(title=pkg.title)
        body = tk._('{actor} ({opd}) submitted the dataset "{title}" for review.').format(
            actor=actor or "", opd=opd, title=pkg.title
        )
    elif kind == "publish":
        subject = tk._("Dataset published: {title}").format(title=pkg.title)
        body = tk._('The Walidata published the dataset "{title}".').format(title=pkg.title)
    else:
        subject = tk._("Dataset returned for correction: {title}").format(title=pkg.title)
        body = tk._('The Walidata returned the dataset "{title}" for correction.').format(title=pkg.title)
    if note:
        body += "\n\n" + tk._("Note:") + "\n" + note
    body += "\n\n" + url
    return subject, body


def enabled() -> bool:
    """``ckanext.solok.workflow.email_notifications``: ``auto`` means whenever SMTP is configured."""
    value = tk.config.get("ckanext.solok.workflow.email_notifications")
    if value in (None, "", "auto"):
        return bool(tk.config.get("smtp.mail_from"))
    return tk.asbool(value)


def transition(kind: str, package_id: str, note: str, actor: str | None) -> None:
    """Send the e-mails of one transition (``submit``, ``publish`` or ``return``).

    With ``ckanext.solok.workflow.email_in_background`` they are sent by CKAN's job worker (the
    transition is committed by then), so a slow mail server never holds the request.
    """
    if not enabled():
        return
    if tk.config.get("ckanext.solok.workflow.email_in_background"):
        tk.enqueue_job(send, [kind, package_id, note, actor], title=f"solok workflow e-mail: {kind} {package_id}")
        return
    send(kind, package_id, note, actor)


def send(kind: str, package_id: str, note: str, actor: str | None) -> None:
    """Send the e-mails of one transition now (in a request, or in the job worker)."""
    # The job worker has no request: CKAN's own fallback context (the one its url_for uses outside
    # requests) gives the mail its translations and links.
    fallback = None if has_request_context() else _get_auto_flask_context()
    with fallback or contextlib.nullcontext():
        _send(kind, package_id, note, actor)


def _send(kind: str, package_id: str, note: str, actor: str | None) -> None:
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    recipients = _walidata() if kind == "submit" else _producers(pkg)
    with _site_language():
        subject, body = _message(kind, pkg, note, actor)
    for user in recipients:
        if not user.email:
            continue
        try:
            tk.mail_recipient(user.display_name, user.email, subject, body)
        except Exception:
            log.exception("Could not e-mail %s about dataset %s", user.name, pkg.name)
