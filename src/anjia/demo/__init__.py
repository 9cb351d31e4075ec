"""The demo city: three months of history (history.py), a working day played live (live.py)."""
