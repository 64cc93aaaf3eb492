"""Satu Data Indonesia metadata: code lists, validators, completeness, facets and the form pages.

Domain code of the SDI schema (``schemas/solok_dataset.yaml``): nothing here
imports the portal's pages or template helpers; ``helpers`` is the one
presentation module and only calls the others.
"""
