"""Double-entry ledger: every fen that moves is a journal entry whose postings sum to zero."""
