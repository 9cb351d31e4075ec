"""Payment providers behind one interface (base.PaymentProvider): WeChat Pay API v3, Alipay,
the UnionPay online gateway and the development sandbox. They speak the providers' protocols
and know nothing of orders or the ledger; anjia.payments decides what a verified event means."""
