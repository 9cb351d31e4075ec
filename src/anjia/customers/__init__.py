"""Customers for operators: the customer list (search by name and district with pg_trgm, a phone
whole by its keyed hash or by its last four digits),
the profile gathered from the owning packages (orders, addresses, preferences, reviews, support,
coupons), staff tags and notes, RFM segments recomputed nightly with their history, and coupon
campaigns to a segment with a held-out control group. Above support and reviews (it reads them
through their services), beside finance and performance."""
from anjia.customers import errors  # noqa: F401  (registers the domain's error codes)
