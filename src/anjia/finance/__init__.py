"""Finance: daily reconciliation against the providers' bills, reports from the ledger, the
finance console's overview."""
