"""The PostgreSQL table that replaces the Solr core.

One row per indexed dataset. ``doc`` is the document CKAN would have sent to
Solr, as JSON, except its two serialised dataset dicts, which are kept as
text in ``data_dict`` and ``validated_data_dict`` (results are read from them
without re-encoding); ``fields`` holds its exact-match (string, date, number) fields
normalised for matching and faceting, every value as a list of strings, and
stays small so that filters and facets never read the large ``doc``; the
filters every search applies (site, state, capacity, permission labels) and
the common sort keys are plain columns; ``tsv`` is the weighted full-text
vector:

==========  ===================================================
weight      source fields
==========  ===================================================
``A``       ``title``
``B``       ``name``, ``tags``, ``groups``, ``organization``
``C``       ``notes``
``D``       everything else Solr copies into its ``text`` field
==========  ===================================================

The table is created by the migration in ``migration/solok_search``; this
module only describes it for SQLAlchemy Core.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

metadata = sa.MetaData()

search_index = sa.Table(
    "solok_search_index",
    metadata,
    sa.Column("index_id", sa.UnicodeText, primary_key=True),
    sa.Column("id", sa.UnicodeText, nullable=False),
    sa.Column("name", sa.UnicodeText),
    sa.Column("site_id", sa.UnicodeText, nullable=False),
    sa.Column("state", sa.UnicodeText),
    sa.Column("capacity", sa.UnicodeText),
    sa.Column("metadata_created", sa.DateTime(timezone=True)),
    sa.Column("metadata_modified", sa.DateTime(timezone=True)),
    sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
    sa.Column("doc", JSONB, nullable=False),
    sa.Column("data_dict", sa.UnicodeText),
    sa.Column("validated_data_dict", sa.UnicodeText),
    sa.Column("fields", JSONB, nullable=False),
    sa.Column("tsv", TSVECTOR, nullable=False),
)
