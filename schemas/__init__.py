"""Scheming schemas and vocabularies of ckanext-solok (shipped as package data)."""
