"""DCAT export of the Solok portal: the SDI RDF profile, its mapping table and the SDI vocabulary."""
