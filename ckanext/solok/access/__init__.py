"""Access classification (*klasifikasi akses*): who may see a dataset's files.

``rules`` decides, ``hooks`` hides file URLs from API and page output,
``views`` guards the download URL.
"""
