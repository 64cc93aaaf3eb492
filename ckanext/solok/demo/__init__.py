"""Demo (seed) data for ckanext-solok: organizations.json, datasets.json and files/*.csv."""
