"""Demo data of Kota Solok (``ckan solok seed``): ``seed`` loads organizations.json, datasets.json,
workflow.json and files/*.csv through CKAN's actions."""
