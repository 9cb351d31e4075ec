"""Commission: what the platform keeps of an order, by rules scoped to service, region and worker
level. Below fieldwork (offers show the worker's expected pay) and settlement (earnings use it)."""
from anjia.commission import errors  # noqa: F401  (registers the domain's error codes)
