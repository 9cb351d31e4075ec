"""Settlement: commission rules, each completed order's earning for its worker (posted at
check-out), weekly statements, payouts, disputes and withdrawal requests."""
from anjia.settlement import errors  # noqa: F401  (registers the domain's error codes)
