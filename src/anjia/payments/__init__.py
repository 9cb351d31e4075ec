"""Payments: collecting money for orders and top-ups through the providers, their notifications,
refunds, and the ledger entries that go with each."""
