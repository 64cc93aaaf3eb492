"""The CKAN tests of the conformance run, and those expected to fail on the backend.

``FILES``: CKAN 2.12's search-relevant test files (paths inside ``ckan/tests``
of the installed wheel): the search library, the index command, the actions
that search or index, and the pages that list datasets.

``EXPECTED``: node id (or a test function, for all its parameters) -> why it
fails on the backend. A real difference from CKAN on Solr is fixed, never
listed: what is left are Solr internals, the deliberate differences of the
README's "Known differences", and tests the wheel cannot run anywhere.
"""

from __future__ import annotations

FILES = (
    "lib/search/test_common.py",
    "lib/search/test_index.py",
    "lib/search/test_query.py",
    "lib/search/test_search.py",
    "cli/test_search_index.py",
    "logic/action/test_get.py",
    "logic/action/test_create.py",
    "logic/action/test_update.py",
    "logic/action/test_delete.py",
    "logic/action/test_init.py",
    "controllers/test_package.py",
    "controllers/test_group.py",
    "controllers/test_organization.py",
    "controllers/test_home.py",
    "controllers/test_api.py",
    "controllers/test_feed.py",
    "controllers/test_pagination.py",
    "controllers/test_admin.py",
)

_MESSAGES = (
    "deliberate: the refusal of local parameters and magic fields is the project's own translated message "
    "('Parameter lokal dan kolom khusus Solr tidak didukung pada …'), not CKAN's English sentence the test compares"
)
_SCHEMA = "Solr only: checks the Solr schema version over HTTP; the backend has no Solr schema"
_PYSOLR = "Solr only: talks to a pysolr connection directly"
_BAD_SOLR_URL = "Solr only: an unreachable solr_url breaks indexing on Solr; the backend never contacts Solr"
_NO_TEST_PLUGINS = (
    "not runnable from the wheel: the test plugin test_package_controller_plugin lives in tests.plugins of "
    "CKAN's source tree, which the wheel names in its entry points but does not ship"
)
_STORAGE = (
    "not search: file uploads need the file storage settings of CKAN's own test-core.ini, which the wheel "
    "does not ship and tests/ckan_conformance/ckan.ini does not reproduce"
)

EXPECTED: dict[str, str] = {
    # -- lib/search/test_search.py -------------------------------------------------------------
    "lib/search/test_search.py::test_check_valid_schema": _SCHEMA,
    "lib/search/test_search.py::test_check_invalid_schema": _SCHEMA,
    "lib/search/test_search.py::test_check_schema_with_wrong_version": _SCHEMA,
    "lib/search/test_search.py::test_get_index_uses_site_id": _PYSOLR,
    "lib/search/test_search.py::test_local_params_not_allowed_by_default": _MESSAGES,
    "lib/search/test_search.py::test_local_params_not_allowed_by_default_different_field": _MESSAGES,
    "lib/search/test_search.py::test_local_params_not_allowed_by_default_different_field_list": _MESSAGES,
    "lib/search/test_search.py::test_local_params_with_whitespace_not_allowed_by_default": _MESSAGES,
    "lib/search/test_search.py::test_allowed_local_params_via_config_not_defined": _MESSAGES,
    "lib/search/test_search.py::test_magic_fields_not_allowed": _MESSAGES,  # 19 parameters
    "lib/search/test_search.py::test_query_parsers_not_allowed": _MESSAGES,  # 2 parameters
    "lib/search/test_search.py::test_local_params_at_the_start": _MESSAGES,  # 3 parameters
    # -- controllers -----------------------------------------------------------------------------
    "controllers/test_api.py::test_package_search_connection_errors": _PYSOLR,
    "controllers/test_package.py::TestPackageNew::test_new_indexerror": _BAD_SOLR_URL,
    "controllers/test_package.py::TestPackageNew::test_new_plugin_hook": _NO_TEST_PLUGINS,
    "controllers/test_package.py::TestPackageNew::test_after_create_plugin_hook": _NO_TEST_PLUGINS,
    "controllers/test_package.py::TestPackageDelete::test_delete": _NO_TEST_PLUGINS,
    "controllers/test_package.py::TestSearch::test_search_plugin_hooks": _NO_TEST_PLUGINS,
    "controllers/test_package.py::TestReadOnly::test_read_plugin_hook": _NO_TEST_PLUGINS,
    "controllers/test_package.py::TestResourceDownload::test_resource_download_content_type": (
        "not search: the download is served by the file storage, whose Content-Type here has no charset"
    ),
    # -- uploads (logic/action) --------------------------------------------------------------------
    "logic/action/test_create.py::TestResourceCreate::test_upload_file_paths": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_picture_works_without_extra_config": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_non_picture_fails_without_extra_config": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_non_picture_html_fails_without_extra_config": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_svg_fails_without_extra_config": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_svg_wrong_extension_fails_without_extra_config": (
        _STORAGE
    ),
    "logic/action/test_create.py::TestUserImageUrl::test_upload_non_picture_with_png_extension": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_mimetype_has_higher_priority": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_all_types_allowed": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_picture": _STORAGE,
    "logic/action/test_create.py::TestUserImageUrl::test_upload_picture_extension_enforced": _STORAGE,
    "logic/action/test_update.py::TestResourceUpdate::test_resource_uploads_after_reorder": _STORAGE,
}


def reason_for(test: str) -> str | None:
    """The listed reason for ``test``: its own entry, its function's (parameters) or its class's."""
    function = test.split("[", 1)[0]
    return EXPECTED.get(test) or EXPECTED.get(function) or EXPECTED.get(function.rsplit("::", 1)[0])
