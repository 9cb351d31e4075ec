"""Ledger errors."""
from anjia.core.errors import define

INSUFFICIENT_BALANCE = define("insufficient_balance", 409, "余额不足", "The balance is too low")
