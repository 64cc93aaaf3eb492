"""Data quality: a metadata quality score on data.europa.eu's method (MQA), the SDI checks MQA lacks,
and the checks of the files themselves (``docs/quality.md``)."""
