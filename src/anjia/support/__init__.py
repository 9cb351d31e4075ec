"""Support: complaints, suggestions and follow-ups of low reviews as tickets (one state machine,
SLA timers, compensation by coupon or refund), and their analysis for the console."""
from anjia.support import errors  # noqa: F401  (registers the domain's error codes)
