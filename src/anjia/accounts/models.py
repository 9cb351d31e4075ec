from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, INET
from sqlalchemy.orm import Mapped, mapped_column, validates

from anjia.core.db import Base
from anjia.core.sealed import Sealed
from anjia.core.security import lookup_hash, lookup_hashes

PHONE = "phone"  # the purpose of a phone number's look-up hash (core.security.lookup_hash)


class User(Base):
    """A person who signs in: a customer, a worker (阿姨/师傅) or a staff member.

    The same phone may hold a customer and a worker account: `kind` separates them.
    Deleted accounts keep their row (orders and money refer to it) with personal data wiped.
    The phone is sealed at rest (`phone_sealed`); `phone_hash` (keyed) finds and keeps it unique,
    `phone_last4` serves masking and the console's search by the last four digits — both follow
    `phone` when it is set (`_phone`); bulk writers use `phone_columns`.
    """

    __tablename__ = "users"
    __table_args__ = (
        Index("uq_users_kind_phone", "kind", "phone_hash", unique=True,
              postgresql_where=text("phone_hash IS NOT NULL")),
        Index("uq_users_kind_email", "kind", "email", unique=True, postgresql_where=text("email IS NOT NULL")),
        Index("uq_users_kind_openid", "kind", "wechat_openid", unique=True,
              postgresql_where=text("wechat_openid IS NOT NULL")),
        Index("uq_users_username", "username", unique=True, postgresql_where=text("username IS NOT NULL")),
        Index("ix_users_search", "nickname", postgresql_using="gin", postgresql_ops={"nickname": "gin_trgm_ops"}),
        # the console's search by the last four digits of the number (customers.service)
        Index("ix_users_phone_last4", "phone_last4"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # customer | worker | staff
    phone: Mapped[str | None] = mapped_column("phone_sealed", Sealed)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    phone_last4: Mapped[str | None] = mapped_column(String(4))
    email: Mapped[str | None] = mapped_column(String(254))
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    username: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(Text)
    nickname: Mapped[str] = mapped_column(String(64), default="")
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list, server_default="{}")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    wechat_openid: Mapped[str | None] = mapped_column(String(64))
    wechat_unionid: Mapped[str | None] = mapped_column(String(64))
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the channel the account first came from (core.params.CHANNELS: sign-up, else its first order's) and
    # who referred the customer, when a referral brought them
    source_channel: Mapped[str | None] = mapped_column(String(8))
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())

    @validates("phone")
    def _phone(self, _key: str, phone: str | None) -> str | None:
        self.phone_hash, self.phone_last4 = (lookup_hash(phone, PHONE), phone[-4:]) if phone else (None, None)
        return phone


def phone_columns(phone: str) -> dict[str, str]:
    """A phone number as the columns a bulk insert of users writes (the ORM's `_phone` does it else)."""
    return {"phone": phone, "phone_hash": lookup_hash(phone, PHONE), "phone_last4": phone[-4:]}


def phone_is(phone: str) -> ColumnElement[bool]:
    """The users with this phone number, found by its keyed hash under every accepted key."""
    return User.phone_hash.in_(lookup_hashes(phone, PHONE))


def phones_in(phones: list[str]) -> ColumnElement[bool]:
    return User.phone_hash.in_([h for p in phones for h in lookup_hashes(p, PHONE)])


def phone_search(q: str) -> ColumnElement[bool]:
    """The console's search by phone: a whole number by its keyed hash, four digits by the last four
    (the only part kept in clear); anything else matches no number."""
    q = q.strip()
    if q.isdigit() and len(q) == 11:
        return phone_is(q)
    if q.isdigit() and len(q) == 4:
        return User.phone_last4 == q
    return false()


class SmsCode(Base):
    """A one-time code sent by SMS; only its HMAC is stored, and the phone's keyed hash."""

    __tablename__ = "sms_codes"
    __table_args__ = (
        Index("ix_sms_codes_phone_created", "phone_hash", "created_at"),
        Index("ix_sms_codes_ip_created", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(INET)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consumed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RefreshToken(Base):
    """Rotating refresh tokens. All tokens born of one sign-in share a `family_id`:
    presenting an already rotated token revokes the family (token theft detection)."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_family", "family_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[UUID] = mapped_column()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EmailVerification(Base):
    __tablename__ = "email_verifications"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WechatBinding(Base):
    """An openid waiting for its phone number (first WeChat sign-in)."""

    __tablename__ = "wechat_bindings"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app: Mapped[str] = mapped_column(String(16))
    openid: Mapped[str] = mapped_column(String(64))
    unionid: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LoginAttempt(Base):
    """One password sign-in attempt. Failures per account (the name typed, whether or not it
    exists) and per IP decide the temporary lockout; a success clears the account's count."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_account_created", "kind", "account", "created_at"),
        Index("ix_login_attempts_ip_created", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(INET)
    succeeded: Mapped[bool] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
