"""The plugins load, declare their options and hand search back to CKAN when unloaded."""

from __future__ import annotations

import ckan.lib.search as ckan_search
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.search.query import PackageSearchQuery
from ckan.tests import factories

from ckanext.solok import search
from ckanext.solok.search.index import SolokPackageSearchIndex
from ckanext.solok.search.query import SolokPackageSearchQuery
from tests.helpers import ROOT


def test_plugins_are_loaded():
    for name in ("solok", "solok_search", "scheming_datasets", "dcat"):
        assert p.plugin_loaded(name), name


def test_search_backend_replaces_every_solr_entry_point():
    assert isinstance(ckan_search.query_for("package"), SolokPackageSearchQuery)
    assert isinstance(ckan_search.index_for("package"), SolokPackageSearchIndex)
    # model_dictize and tag_dictize instantiate PackageSearchQuery directly.
    assert isinstance(ckan_search.PackageSearchQuery(), SolokPackageSearchQuery)
    assert ckan_search.check_solr_schema_version() is False


def test_config_options_are_declared_with_defaults():
    assert tk.config.get("ckanext.solok.search.text_config") == "indonesian"
    assert tk.config.get("ckanext.solok.demo.sysadmin_name") == "admin"


@pytest.mark.usefixtures("clean_db")
def test_without_the_plugin_ckan_talks_to_solr_again():
    """Disabling solok_search gives CKAN its stock Solr classes back.

    There is no Solr on the test machine, so creating a dataset then fails
    the way stock CKAN fails without Solr — proof that the stock path is used.
    """
    org = factories.Organization()
    p.unload("solok_search")
    try:
        assert not search.active()
        assert type(ckan_search.query_for("package")) is PackageSearchQuery
        assert type(ckan_search.PackageSearchQuery()) is PackageSearchQuery
        with pytest.raises(ckan_search.SearchIndexError):
            factories.Dataset(
                notes="x",
                konsep="x",
                klasifikasi_penyajian="x",
                ukuran="Jumlah",
                satuan="orang",
                accrualPeriodicity="tahunan",
                accessRights="terbuka",
                jenis="lainnya",
                tahun_data="2024",
                tingkat_penyajian="kota",
                owner_org=org["id"],
            )
    finally:
        p.load("solok_search")
    assert search.active()


def test_readme_documents_every_declared_option():
    import yaml

    root = ROOT
    readme = (root / "README.md").read_text(encoding="utf-8")
    for path in ("ckanext/solok/config_declaration.yaml", "ckanext/solok/search/config_declaration.yaml"):
        for group in yaml.safe_load((root / path).read_text(encoding="utf-8"))["groups"]:
            for option in group["options"]:
                assert f"`{option['key']}`" in readme, option["key"]
