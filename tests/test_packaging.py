"""The built wheel ships, and an installed (non-editable) package finds, every data file."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

EXPECTED = [
    "ckanext/solok/plugin.py",
    "ckanext/solok/config_declaration.yaml",
    "ckanext/solok/search/config_declaration.yaml",
    "ckanext/solok/schemas/solok_dataset.yaml",
    "ckanext/solok/schemas/solok_organization.yaml",
    "ckanext/solok/schemas/vocabularies/frekuensi.yaml",
    "ckanext/solok/schemas/vocabularies/wilayah.yaml",
    "ckanext/solok/templates/scheming/package/snippets/additional_info.html",
    "ckanext/solok/templates/scheming/package/resource_read.html",
    "ckanext/solok/templates/home/index.html",
    "ckanext/solok/templates/solok/statistics.html",
    "ckanext/solok/templates/solok/snippets/preview_table.html",
    "ckanext/solok/public/solok/solok.css",
    "ckanext/solok/public/solok/logo.svg",
    "ckanext/solok/i18n/ckanext-solok.pot",
    "ckanext/solok/i18n/id/LC_MESSAGES/ckanext-solok.po",
    "ckanext/solok/i18n/id/LC_MESSAGES/ckanext-solok.mo",
    "ckanext/solok/migration/solok_search/alembic.ini",
    "ckanext/solok/migration/solok_search/env.py",
    "ckanext/solok/migration/solok_search/versions/a1f3c0d2e5b7_create_solok_search_index.py",
    "ckanext/solok/demo/organizations.json",
    "ckanext/solok/demo/datasets.json",
    "ckanext/solok/dcat/profile.py",
    "ckanext/solok/dcat/shapes/solok_sdi.ttl",
    "ckanext/solok/templates/solok/sdi_document.html",
    "ckanext/solok/demo/workflow.json",
    "ckanext/solok/workflow/actions.py",
    "ckanext/solok/workflow/transition.py",
    "ckanext/solok/search/plugin.py",
    "ckanext/solok/sdi/completeness.py",
    "ckanext/solok/access/rules.py",
    "ckanext/solok/portal/views.py",
    "ckanext/solok/dcat/sdi_terms.py",
    "ckanext/solok/dcat/speedups.py",
    "ckanext/solok/schemas/rdf/sdi_terms.yaml",
    "ckanext/solok/migration/solok/alembic.ini",
    "ckanext/solok/migration/solok/env.py",
    "ckanext/solok/migration/solok/versions/b7d2e4f6a8c1_create_solok_workflow_event.py",
    "ckanext/solok/templates/solok/workflow/review.html",
    "ckanext/solok/templates/solok/workflow/queue.html",
    "ckanext/solok/templates/solok/workflow/mine.html",
    "ckanext/solok/security/headers.py",
    "ckanext/solok/security/templates/package/snippets/resource_upload_field.html",
    "ckanext/solok/security/templates/snippets/activity_type_selector.html",
    "ckanext/solok/assets/webassets.yml",
    "ckanext/solok/assets/upload-field.js",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("ckanext_solok-*.whl")
    return built


def test_wheel_contains_code_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in EXPECTED if n not in names]
    assert not missing
    csvs = [n for n in names if n.startswith("ckanext/solok/demo/files/") and n.endswith(".csv")]
    assert len(csvs) >= 25
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "solok = ckanext.solok.plugin:SolokPlugin" in text
    assert "solok_search = ckanext.solok.search.plugin:SolokSearchPlugin" in text
    assert "solok_sdi = ckanext.solok.dcat.profile:SolokSDIProfile" in text
    assert "solok_sdi_compat = ckanext.solok.dcat.profile:SolokSDICompatProfile" in text
    # Tests stay out of the released package.
    assert not [n for n in names if n.startswith("tests/")]


def test_installed_wheel_finds_its_files(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = textwrap.dedent(f"""
        import sys
        # Leave out the development checkout (its editable finder), keep CKAN.
        sys.meta_path = [f for f in sys.meta_path if "editable" not in type(f).__module__]
        sys.path.insert(0, {str(target)!r})
        from importlib.resources import files
        import ckanext.solok, ckanext.solok.plugin as plugin
        assert ckanext.solok.__file__.startswith({str(target)!r}), ckanext.solok.__file__
        i18n = plugin.SolokPlugin().i18n_directory()
        assert i18n.startswith({str(target)!r}), i18n
        import os
        assert os.path.isfile(os.path.join(i18n, "id", "LC_MESSAGES", "ckanext-solok.mo"))
        assert files("ckanext.solok.schemas").joinpath("solok_dataset.yaml").is_file()
        from ckanext.solok.sdi import vocabularies
        assert len(vocabularies.vocabulary("urusan").terms) == 33
        templates = files("ckanext.solok").joinpath("templates", "scheming", "package")
        assert templates.joinpath("resource_read.html").is_file()
        assert files("ckanext.solok").joinpath("config_declaration.yaml").is_file()
        assert files("ckanext.solok.dcat").joinpath("shapes", "solok_sdi.ttl").is_file()
        from ckanext.solok.dcat import sdi_terms
        assert len(sdi_terms.terms()) >= 20
        from ckanext.solok.search.plugin import SolokSearchPlugin
        from ckanext.solok.demo import seed
        assert len(seed.load("datasets.json")) >= 25
        statuses = sorted(set(d["status"] for d in seed.workflow_demo()["datasets"]))
        assert statuses == ["diajukan", "dikembalikan", "draft"], statuses
        assert files("ckanext.solok").joinpath("migration", "solok", "alembic.ini").is_file()
        from ckanext.scheming.plugins import _load_schema
        schema = _load_schema("ckanext.solok.schemas:solok_dataset.yaml")
        assert schema["dataset_type"] == "dataset"
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
