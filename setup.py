"""Packaging for ckanext-solok.

``schemas/`` and ``i18n/`` live at the top of the repository (design card) but
ship inside the wheel as the packages ``ckanext.solok.schemas`` and
``ckanext.solok.i18n``, so an installed package finds them with
``importlib.resources`` exactly as an editable checkout does.
"""
from setuptools import setup

setup(
    name="ckanext-solok",
    version="0.1.0",
    description="Open data catalogue of Pemerintah Kota Solok (Satu Data Indonesia) for CKAN 2.12",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11,<3.12",
    packages=[
        "ckanext.solok",
        "ckanext.solok.access",
        "ckanext.solok.dcat",
        "ckanext.solok.demo",
        "ckanext.solok.migration",
        "ckanext.solok.migration.solok_search",
        "ckanext.solok.migration.solok_search.versions",
        "ckanext.solok.migration.solok",
        "ckanext.solok.migration.solok.versions",
        "ckanext.solok.portal",
        "ckanext.solok.sdi",
        "ckanext.solok.search",
        "ckanext.solok.workflow",
        "ckanext.solok.security",
        "ckanext.solok.serving",
        "ckanext.solok.schemas",
        "ckanext.solok.i18n",
    ],
    package_dir={
        "ckanext.solok.schemas": "schemas",
        "ckanext.solok.i18n": "i18n",
    },
    package_data={
        "ckanext.solok": [
            "config_declaration.yaml",
            "templates/**/*.html",
            "public/**/*.css",
            "public/**/*.svg",
            "assets/*.js",
            "assets/*.yml",
        ],
        "ckanext.solok.security": ["templates/**/*.html"],
        "ckanext.solok.search": ["config_declaration.yaml"],
        "ckanext.solok.dcat": ["shapes/*.ttl"],
        "ckanext.solok.demo": ["*.json", "files/*.csv"],
        "ckanext.solok.migration.solok_search": ["alembic.ini", "README", "script.py.mako"],
        "ckanext.solok.migration.solok": ["alembic.ini", "README", "script.py.mako"],
        "ckanext.solok.schemas": ["*.yaml", "*.json", "vocabularies/*.yaml", "rdf/*.yaml"],
        "ckanext.solok.i18n": ["*.pot", "*/LC_MESSAGES/*.po", "*/LC_MESSAGES/*.mo"],
    },
    include_package_data=False,
    install_requires=[
        "ckan[requirements]==2.12.0",
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "luqum==1.0.0",
        "openpyxl==3.1.5",
        # The quality score's DCAT-AP check validates each dataset's graph with the project's SHACL shapes.
        "pyshacl==0.40.1",
        # The production WSGI server of scripts/serve.sh and the systemd unit.
        "gunicorn==27.0.1",
    ],
    extras_require={
        "dev": [
            "ckan[dev]==2.12.0",
            "aiosmtpd==1.4.6",
            "ruff==0.8.4",
            "playwright==1.65.2",
            # The national portal's harvesters for tests/e2e/test_national_harvest.py (ckanext-dcat's
            # DCAT-RDF/JSON harvesters need it too).
            "ckanext-harvest==1.6.3",
            "ckantoolkit==0.0.7",
        ],
    },
    entry_points={
        "ckan.plugins": [
            "solok = ckanext.solok.plugin:SolokPlugin",
            "solok_search = ckanext.solok.search.plugin:SolokSearchPlugin",
        ],
        "ckan.rdf.profiles": [
            "solok_sdi = ckanext.solok.dcat.profile:SolokSDIProfile",
            "solok_sdi_compat = ckanext.solok.dcat.profile:SolokSDICompatProfile",
            "solok_quality = ckanext.solok.quality.profile:SolokQualityProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.html", "ckan", None),
        ],
    },
    zip_safe=False,
)
