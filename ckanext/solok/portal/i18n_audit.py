"""Translation audit: record every message a page asked for that has no translation.

Enabled by ``ckanext.solok.i18n_audit``. Each gettext lookup of the Flask app goes
through the merged catalogue (CKAN core, then every ``ITranslation`` plugin, ours
last); a lookup whose message is not in that catalogue falls back to the English
source text. Those fallbacks are logged and collected, so a translator running a dev
server, and the coverage test, see exactly which strings a page left in English.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Any

import ckan.plugins.toolkit as tk
import flask
from flask_babel import get_locale

log = logging.getLogger(__name__)

# Process-wide because templates render in the process that serves them; the
# lock keeps counts right under a threaded server.
_lock = threading.Lock()
looked_up: Counter[str] = Counter()
missing: Counter[str] = Counter()


def reset() -> None:
    with _lock:
        looked_up.clear()
        missing.clear()


def _record(key: Any, translated: bool) -> None:
    text = key if isinstance(key, str) else key[0]
    with _lock:
        looked_up[text] += 1
        if not translated:
            if text not in missing:
                log.warning("untranslated (%s): %r", get_locale(), text)
            missing[text] += 1


class _AuditedTranslations:
    """Answers like the wrapped catalogue, noting lookups it cannot translate."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._catalog = inner._catalog

    def _has(self, key: Any) -> bool:
        return bool(self._catalog.get(key))

    def ugettext(self, message: str) -> str:
        _record(message, self._has(message))
        return self._inner.ugettext(message)

    gettext = ugettext

    def ungettext(self, singular: str, plural: str, num: int) -> str:
        _record(singular, self._has((singular, 0)))
        return self._inner.ungettext(singular, plural, num)

    ngettext = ungettext

    def upgettext(self, context: str, message: str) -> str:
        _record(message, self._has(f"{context}\x04{message}"))
        return self._inner.upgettext(context, message)

    pgettext = upgettext

    def unpgettext(self, context: str, singular: str, plural: str, num: int) -> str:
        _record(singular, self._has((f"{context}\x04{singular}", 0)))
        return self._inner.unpgettext(context, singular, plural, num)

    npgettext = unpgettext

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def install(app: flask.Flask, config: Any) -> None:
    """Wrap the app's Babel domain so lookups are audited (English needs none)."""
    if not tk.asbool(config.get("ckanext.solok.i18n_audit")):
        return
    # Flask-Babel internals (the app's Babel domain): the audit is a translator's and test tool, so
    # without them it is off with a warning, and the coverage test fails.
    with app.app_context():
        babel = app.extensions.get("babel")
        domain = getattr(getattr(babel, "instance", None), "domain_instance", None)
    if domain is None or not hasattr(domain, "get_translations"):
        log.warning("ckanext.solok.i18n_audit: this Flask-Babel has no app domain to audit; the audit is off")
        return
    original = domain.get_translations

    def audited() -> Any:
        translations = original()
        locale = get_locale()
        if locale is None or locale.language == "en" or not hasattr(translations, "_catalog"):
            return translations
        return _AuditedTranslations(translations)

    domain.get_translations = audited
