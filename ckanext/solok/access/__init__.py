"""Access classification (*klasifikasi akses*): who may see a dataset's files, and who may know of it.

``rules`` states the rule and decides; ``hooks`` hides file URLs from
``package_show``/``package_search`` output; ``index`` keeps them out of what
the search index matches; ``actions`` and ``auth`` chain the CKAN actions and
refusals that would otherwise tell; ``views`` guards the download URL.
"""
