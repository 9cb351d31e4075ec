"""Every domain's tables, imported once so metadata (and Alembic) sees them all."""
from anjia.accounts.models import EmailVerification, RefreshToken, SmsCode, User, WechatBinding  # noqa: F401
from anjia.realtime.models import Event  # noqa: F401
from anjia.system.models import AuditLog, IdempotencyKey  # noqa: F401
