"""Personal data (PIPL): a person's own data to download, account deletion, retention."""
