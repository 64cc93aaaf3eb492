"""Translation catalogues of ckanext-solok (shipped as package data)."""
