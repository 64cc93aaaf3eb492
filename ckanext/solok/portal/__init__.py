"""The citizen's portal: home page, statistics, charts, table previews and their pages.

``stats``, ``charts`` and ``preview`` compute; ``views`` (blueprints) and
``helpers`` (template helpers) present what they compute and are imported by
nothing but ``plugin.py``. ``i18n_audit`` records untranslated lookups of
the pages.
"""
