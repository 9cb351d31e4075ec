"""Coupons: the customer's coupons (amount or percent off, minimum spend, service scope, validity),
issued by staff, support's compensation and later campaigns; used once on an order. Below orders
(the order marks its coupon used in its own transaction), above catalog (quote() applies it)."""
from anjia.coupons import errors  # noqa: F401  (registers the domain's error codes)
