"""Fixtures shared by the whole suite: real CKAN, real PostgreSQL, no mocks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ckan.tests import factories

SDI_DEFAULTS: dict[str, Any] = {
    "notes": "Definisi data uji.",
    "konsep": "Konsep data uji.",
    "klasifikasi_penyajian": "per kelurahan",
    "ukuran": "Jumlah",
    "satuan": "orang",
    "accrualPeriodicity": "tahunan",
    "accessRights": "terbuka",
    "jenis": "statistik",
    "jenis_statistik": "sektoral",
    "tahun_data": "2024",
    "tingkat_penyajian": "kelurahan",
    "cakupan_wilayah": "13.72",
    "license_id": "cc-by",
}


@pytest.fixture(autouse=True)
def _solok_plugins(with_plugins: Any) -> None:
    """Every test runs with the plugins of ``test.ini`` loaded."""


@pytest.fixture
def clean_db(
    reset_db: Callable[[], None], migrate_db_for: Callable[[str], None], reset_index: Callable[[], None]
) -> None:
    """CKAN's ``clean_db`` plus the activity, solok_search and solok migrations.

    The index and workflow audit tables are not in CKAN's model, so
    ``reset_db`` keeps their rows: empty them too, as a clean Solr core would be.
    """
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("solok_search")
    migrate_db_for("solok")
    reset_index()
    from ckan import model

    from ckanext.solok.workflow.model import event_table

    model.Session.execute(event_table.delete())
    model.Session.commit()


@pytest.fixture
def make_dataset(clean_db: None) -> Callable[..., dict[str, Any]]:
    """Create a dataset with valid SDI metadata; keyword arguments override it."""

    def make(**kwargs: Any) -> dict[str, Any]:
        data = dict(SDI_DEFAULTS)
        data.update(kwargs)
        if "owner_org" not in data:
            data["owner_org"] = factories.Organization()["id"]
        return factories.Dataset(**data)

    return make
