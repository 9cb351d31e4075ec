"""RFM segments: the one place their thresholds live (the nightly job's SQL takes them as
parameters, the console shows them, docs/architecture.md repeats them).

Figures per customer, as of the run:
- R (recency): days since the customer's latest *counted* order was placed;
- F (frequency): counted orders placed in the last `WINDOW_DAYS` days;
- M (monetary): fen kept from those orders (paid − refunded).
A counted order is one that was paid (any status but pending_payment and cancelled, or cancelled
with money kept: a late-cancel fee). Rules, first match wins:
1. new         signed up within NEW_DAYS days and at most one counted order ever;
2. high_value  R ≤ ACTIVE_DAYS and (M ≥ HIGH_VALUE_FEN or F ≥ HIGH_VALUE_ORDERS);
3. active      R ≤ ACTIVE_DAYS;
4. at_risk     R ≤ AT_RISK_DAYS;
5. lost        everyone else (last order longer ago, or never ordered since signing up long ago).
"""
from dataclasses import dataclass

NEW_DAYS = 30
ACTIVE_DAYS = 90
AT_RISK_DAYS = 180
WINDOW_DAYS = 365
HIGH_VALUE_FEN = 200_000  # ¥2,000 in the last year
HIGH_VALUE_ORDERS = 6

ORDER = ("new", "high_value", "active", "at_risk", "lost")


@dataclass(frozen=True)
class Figures:
    signed_up_days: int  # days since sign-up
    recency_days: int | None  # None: no counted order ever
    frequency: int  # counted orders in the window
    monetary: int  # fen kept in the window
    orders_ever: int


def classify(f: Figures) -> str:
    if f.signed_up_days <= NEW_DAYS and f.orders_ever <= 1:
        return "new"
    if f.recency_days is not None and f.recency_days <= ACTIVE_DAYS:
        if f.monetary >= HIGH_VALUE_FEN or f.frequency >= HIGH_VALUE_ORDERS:
            return "high_value"
        return "active"
    if f.recency_days is not None and f.recency_days <= AT_RISK_DAYS:
        return "at_risk"
    return "lost"


def thresholds() -> dict[str, int]:
    return {"new_days": NEW_DAYS, "active_days": ACTIVE_DAYS, "at_risk_days": AT_RISK_DAYS,
            "window_days": WINDOW_DAYS, "high_value_fen": HIGH_VALUE_FEN, "high_value_orders": HIGH_VALUE_ORDERS}
