"""ckanext-solok: the open data catalogue of Pemerintah Kota Solok."""
