from anjia.workforce import errors  # noqa: F401  (registers the domain's error codes)
