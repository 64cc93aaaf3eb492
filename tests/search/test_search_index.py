"""The index follows the datasets: create, update, delete, rollback, CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import logic, model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import search
from ckan.tests import factories, helpers

from ckanext.solok.search.table import search_index


def count(**params: Any) -> int:
    return helpers.call_action("package_search", **params)["count"]


def index_row(dataset_id: str) -> dict[str, Any] | None:
    """The stored document of a dataset, as ``search-index show`` returns it."""
    try:
        return search.show(dataset_id)
    except search.SearchError:
        return None


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """An index document with its JSON strings parsed and extras in a fixed order."""
    out = {k: v for k, v in doc.items() if k != "indexed_ts"}
    for key in ("data_dict", "validated_data_dict"):
        out[key] = json.loads(out[key])
        out[key]["extras"] = sorted(out[key].get("extras", []), key=lambda e: e["key"])
    return out


@pytest.fixture
def sysadmin(clean_db):
    return factories.Sysadmin()


def test_create_search_update_search_delete_search(make_dataset, sysadmin):
    ctx = {"user": sysadmin["name"]}
    dataset = make_dataset(name="pasar", title="Harga Beras di Pasar Raya")
    assert count(q="beras") == 1

    helpers.call_action("package_patch", context=ctx, id=dataset["id"], title="Harga Cabai di Pasar Raya")
    assert count(q="beras") == 0
    assert count(q="cabai") == 1

    helpers.call_action("package_delete", context=ctx, id=dataset["id"])
    assert count(q="cabai") == 0
    assert index_row(dataset["id"]) is None


def test_document_is_what_solr_would_store(make_dataset):
    dataset = make_dataset(
        name="dok", title="Dokumen", tags=[{"name": "uji"}], resources=[{"url": "http://x/a.csv", "format": "CSV"}]
    )
    doc = index_row(dataset["id"])
    assert doc["tags"] == ["uji"]
    assert doc["res_format"] == ["CSV"]
    assert doc["capacity"] == "public"
    assert doc["metadata_modified"].endswith("Z")
    assert doc["site_id"] == "solok-test"
    # Both dicts are stored so results need no database reads.
    assert '"name": "dok"' in doc["data_dict"]
    assert '"accrualPeriodicity": "tahunan"' in doc["validated_data_dict"]
    assert doc["permission_labels"] == ["public"]


def test_package_show_is_served_from_the_index(make_dataset):
    dataset = make_dataset(name="cache", title="Dari Indeks")
    # package_show trusts the index only while metadata_modified matches.
    assert search.show("cache")["validated_data_dict"]
    assert helpers.call_action("package_show", id=dataset["id"])["title"] == "Dari Indeks"


def test_failed_update_leaves_dataset_and_index_unchanged(make_dataset, sysadmin):
    dataset = make_dataset(name="gagal", title="Judul Lama")
    before = index_row(dataset["id"])
    with pytest.raises(logic.ValidationError) as err:
        helpers.call_action(
            "package_patch",
            context={"user": sysadmin["name"]},
            id=dataset["id"],
            title="Judul Baru",
            ukuran="bukan-ukuran",
        )
    assert "ukuran" in err.value.error_dict
    model.Session.remove()
    assert index_row(dataset["id"]) == before
    assert count(q="lama") == 1
    assert count(q="baru") == 0


def test_index_rows_roll_back_with_the_transaction(make_dataset):
    """The row is written through CKAN's session: a rollback undoes it."""
    dataset = make_dataset(name="transaksi", title="Sebelum")
    pkg = model.Package.get(dataset["id"])
    pkg.title = "Sesudah"
    both = logic.package_show_default_and_custom_schemas({"ignore_auth": True}, dataset["id"])
    logic.index_update_package_dicts(both)
    assert count(q="sesudah") == 1  # visible inside the transaction
    model.Session.rollback()
    assert count(q="sesudah") == 0
    assert count(q="sebelum") == 1


def test_private_flag_changes_capacity(make_dataset, sysadmin):
    dataset = make_dataset(name="jadi-privat", title="Jadi Privat")
    helpers.call_action("package_patch", context={"user": sysadmin["name"]}, id=dataset["id"], private=True)
    assert index_row(dataset["id"])["capacity"] == "private"
    assert count(q="privat") == 0
    assert count(q="privat", include_private=True) == 1


class TestCommands:
    def test_rebuild_reports_progress_and_restores_the_index(self, cli, make_dataset):
        for i in range(3):
            make_dataset(name=f"ds-{i}", title=f"Dataset {i}")
        model.Session.execute(sa.delete(search_index))
        model.Session.commit()
        assert count() == 0

        result = cli.invoke(ckan_cli, ["search-index", "rebuild"])
        assert result.exit_code == 0, result.output
        assert "Indexing dataset 3/3" in result.output
        assert count() == 3

    def test_rebuild_only_missing(self, cli, make_dataset):
        kept = make_dataset(name="ada", title="Ada")
        lost = make_dataset(name="hilang", title="Hilang")
        model.Session.execute(sa.delete(search_index).where(search_index.c.id == lost["id"]))
        model.Session.commit()
        result = cli.invoke(ckan_cli, ["search-index", "rebuild", "--only-missing"])
        assert result.exit_code == 0, result.output
        assert count() == 2
        assert index_row(kept["id"]) is not None

    def test_check_finds_every_indexed_dataset(self, cli, make_dataset):
        kept = make_dataset(name="terindeks", title="Terindeks")
        lost = make_dataset(name="tak-terindeks", title="Tak Terindeks")
        model.Session.execute(sa.delete(search_index).where(search_index.c.id == lost["id"]))
        model.Session.commit()
        assert search.query_for(model.Package).get_all_entity_ids() == [kept["id"]]
        result = cli.invoke(ckan_cli, ["search-index", "check"])
        assert result.exit_code == 0, result.output
        assert "Packages not indexed = 1 out of 2" in result.output
        assert "tak-terindeks" in result.output

    def test_clear_and_show(self, cli, make_dataset):
        make_dataset(name="tampil", title="Tampil")
        shown = cli.invoke(ckan_cli, ["search-index", "show", "tampil"])
        assert shown.exit_code == 0, shown.output
        assert "tampil" in shown.output and "validated_data_dict" in shown.output

        cleared = cli.invoke(ckan_cli, ["search-index", "clear"])
        assert cleared.exit_code == 0, cleared.output
        assert count() == 0
        # The dataset itself is untouched.
        assert helpers.call_action("package_show", id="tampil")["name"] == "tampil"

    @pytest.mark.parametrize("workers", ["1", "2"])
    def test_parallel_reindex_writes_the_same_documents(self, cli, make_dataset, workers):
        ids = [make_dataset(name=f"paralel-{i}", title=f"Paralel {i}")["id"] for i in range(4)]
        before = {i: index_row(i) for i in ids}
        model.Session.execute(sa.delete(search_index))
        model.Session.commit()

        result = cli.invoke(ckan_cli, ["solok", "reindex", "--workers", workers])
        assert result.exit_code == 0, result.output
        assert "Indexed 4 datasets" in result.output
        model.Session.remove()
        after = {i: index_row(i) for i in ids}
        for i in ids:
            assert comparable(after[i]) == comparable(before[i])
        assert count(q="paralel") == 4

    def test_reindex_only_missing_and_bad_worker_count(self, cli, make_dataset):
        make_dataset(name="satu", title="Satu")
        lost = make_dataset(name="dua", title="Dua")
        model.Session.execute(sa.delete(search_index).where(search_index.c.id == lost["id"]))
        model.Session.commit()
        result = cli.invoke(ckan_cli, ["solok", "reindex", "--only-missing", "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert "Indexed 1 datasets" in result.output
        assert count() == 2
        bad = cli.invoke(ckan_cli, ["solok", "reindex", "--workers", "0"])
        assert bad.exit_code != 0
        assert "--workers" in bad.output

    def test_db_upgrade_for_the_plugin_is_idempotent(self, cli):
        result = cli.invoke(ckan_cli, ["db", "upgrade", "-p", "solok_search"])
        assert result.exit_code == 0, result.output
        assert sa.inspect(model.Session.get_bind()).has_table("solok_search_index")


def test_clean_index_fixture_empties_the_index(make_dataset, reset_index):
    make_dataset(name="sementara", title="Sementara")
    reset_index()
    assert count() == 0
