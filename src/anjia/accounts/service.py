"""Accounts: SMS codes, sign-in (SMS, password, email, WeChat), tokens, profile and staff."""
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts import schemas
from anjia.accounts.models import (
    PHONE,
    EmailVerification,
    LoginAttempt,
    RefreshToken,
    SmsCode,
    User,
    WechatBinding,
    phone_is,
    phone_search,
)
from anjia.config import get_settings
from anjia.core import audit, db, rbac
from anjia.core.errors import AppError
from anjia.core.models import AuditLog
from anjia.core.paging import Page
from anjia.core.security import (
    check_password_strength,
    create_access_token,
    digest,
    digests,
    hash_password,
    lookup_hash,
    lookup_hashes,
    new_secret,
    now,
    verify_password,
)
from anjia.core.types import like_pattern
from anjia.providers import mail, wechat
from anjia.providers.sms import SmsError
from anjia.realtime.service import publish
from anjia.sms import service as sms

VERIFICATION_HOURS = 24


# ---------------------------------------------------------------- presentation
def mask_phone(phone: str | None) -> str | None:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) >= 7 else phone


def user_out(user: User, *, own: bool = False) -> schemas.UserOut:
    return schemas.UserOut(
        id=user.id, kind=user.kind, phone=user.phone if own else mask_phone(user.phone), email=user.email,
        email_verified=user.email_verified_at is not None, nickname=user.nickname, avatar_url=user.avatar_url,
        username=user.username, roles=list(user.roles or []), is_active=user.is_active,
        consent_version=user.consent_version, created_at=user.created_at)


# ---------------------------------------------------------------- SMS codes
async def send_sms_code(session: AsyncSession, phone: str, purpose: str, ip: str | None) -> schemas.SmsCodeSent:
    """Send a code. Limits per phone (1/min, N/day) and per IP (N/hour), serialised by advisory
    locks so concurrent requests cannot slip past a limit. The answer never says whether the
    phone has an account."""
    s = get_settings()
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"sms:{phone}"})
    if ip:
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"sms-ip:{ip}"})
    t = now()
    last_min, last_day = await _count_codes(session, SmsCode.phone_hash.in_(lookup_hashes(phone, PHONE)), t,
                                             s.sms_resend_seconds)
    if last_min or last_day >= s.sms_daily_limit:
        retry = s.sms_resend_seconds if last_min else 3600
        raise AppError("sms_rate_limited", headers={"Retry-After": str(retry)})
    if ip:
        hour = await session.scalar(select(func.count()).where(
            SmsCode.ip == ip, SmsCode.created_at > t - timedelta(hours=1)))
        if (hour or 0) >= s.sms_ip_hourly_limit:
            raise AppError("sms_rate_limited", headers={"Retry-After": "3600"})
    code = f"{secrets.randbelow(10**6):06d}"
    session.add(SmsCode(phone_hash=lookup_hash(phone, PHONE), purpose=purpose, code_hash=digest(f"{phone}:{code}"), ip=ip,
                        expires_at=t + timedelta(seconds=s.sms_code_ttl_seconds), created_at=t))
    await session.flush()
    minutes = s.sms_code_ttl_seconds // 60
    try:
        await sms.send(session, phone, "code", {"code": code, "minutes": str(minutes)},
                       f"【{s.sms_sign_name}】验证码 {code}，{minutes} 分钟内有效。请勿告诉他人。")
    except SmsError as err:
        # Kept: the failed attempt counts against the limits like a sent code, so a refusing
        # provider is not asked again at once (the code itself reached nobody).
        await session.commit()
        raise sms.problem(err) from None
    return schemas.SmsCodeSent(expires_in=s.sms_code_ttl_seconds, resend_after=s.sms_resend_seconds)


async def _count_codes(session, where, t, resend_seconds) -> tuple[int, int]:
    row = (await session.execute(select(
        func.count().filter(SmsCode.created_at > t - timedelta(seconds=resend_seconds)),
        func.count().filter(SmsCode.created_at > t - timedelta(days=1)),
    ).where(where))).one()
    return row[0], row[1]


async def verify_sms_code(session: AsyncSession, phone: str, purpose: str, code: str) -> None:
    """Consume the latest code. A wrong try is committed at once (the request then fails and
    its own transaction rolls back), so the 5-try lock cannot be dodged."""
    s = get_settings()
    row = await session.scalar(
        select(SmsCode).where(SmsCode.phone_hash.in_(lookup_hashes(phone, PHONE)), SmsCode.purpose == purpose,
                              SmsCode.consumed_at.is_(None))
        .order_by(SmsCode.created_at.desc()).limit(1).with_for_update())
    if row is None:
        raise AppError("sms_code_invalid", errors=[{"field": "code", "message": "invalid"}])
    if row.attempts >= s.sms_max_attempts:
        raise AppError("sms_code_locked", errors=[{"field": "code", "message": "locked"}])
    if row.expires_at <= now():
        raise AppError("sms_code_expired", errors=[{"field": "code", "message": "expired"}])
    if not any(secrets.compare_digest(row.code_hash, h) for h in digests(f"{phone}:{code}")):
        row.attempts += 1
        locked = row.attempts >= s.sms_max_attempts
        await session.commit()
        raise AppError("sms_code_locked" if locked else "sms_code_invalid",
                       errors=[{"field": "code", "message": "invalid"}])
    row.consumed_at = now()
    await session.flush()


# ---------------------------------------------------------------- tokens
async def issue_tokens(session: AsyncSession, user: User, app: str, family: uuid.UUID | None = None
                       ) -> schemas.TokenPair:
    s = get_settings()
    refresh = new_secret()
    family = family or uuid.uuid4()
    session.add(RefreshToken(user_id=user.id, family_id=family, token_hash=digest(refresh),
                             app=app, expires_at=now() + timedelta(days=s.refresh_token_days)))
    await session.flush()
    return schemas.TokenPair(access_token=create_access_token(user.id, user.kind, list(user.roles or []),
                                                              sid=str(family)),
                             refresh_token=refresh, expires_in=s.access_token_minutes * 60,
                             user=user_out(user, own=True))


async def refresh(session: AsyncSession, token: str) -> schemas.TokenPair:
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash.in_(digests(token)))
                               .with_for_update())
    if row is None or row.revoked_at is not None or row.expires_at <= now():
        if row is not None and row.rotated_at is not None:
            await _revoke_family(session, row.family_id)
            raise AppError("refresh_token_reused")
        raise AppError("refresh_token_invalid")
    if row.rotated_at is not None:
        # A rotated token came back: someone holds a copy. End every session of this sign-in.
        await _revoke_family(session, row.family_id)
        raise AppError("refresh_token_reused")
    user = await session.get(User, row.user_id)
    if user is None or user.deleted_at is not None or not user.is_active:
        raise AppError("refresh_token_invalid")
    row.rotated_at = now()
    return await issue_tokens(session, user, row.app, family=row.family_id)


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(update(RefreshToken).where(RefreshToken.family_id == family_id,
                                                     RefreshToken.revoked_at.is_(None)).values(revoked_at=now()))
    await session.commit()


async def logout(session: AsyncSession, token: str) -> None:
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash.in_(digests(token))))
    if row is not None:
        await session.execute(update(RefreshToken).where(RefreshToken.family_id == row.family_id,
                                                         RefreshToken.revoked_at.is_(None))
                              .values(revoked_at=now()))


# ---------------------------------------------------------------- sign-in
def _record_consent(user: User, version: str | None) -> None:
    if version:
        user.consent_version, user.consent_at = version, now()


async def get_user(session: AsyncSession, user_id: int, reading: bool = False) -> User | None:
    """Who an access token names (installed as core.auth's user loader by the app). `reading`: the
    row's columns under the model's attribute names, without building a tracked model object
    (a third of a GET's time went there)."""
    if reading:
        return await _USER_ROW.one_or_none(user_id=user_id)
    return await session.get(User, user_id)


# the row's columns under the model's attribute names, sent through psycopg itself (core.db.HotRead)
_USER_ROW = db.HotRead.by_id(User, "user_id")


async def _user_by_phone(session: AsyncSession, kind: str, phone: str) -> User | None:
    return await session.scalar(select(User).where(User.kind == kind, phone_is(phone),
                                                   User.deleted_at.is_(None)))


async def _referrer(session: AsyncSession, kind: str, referrer_id: int | None) -> int | None:
    """The referring customer, when `referrer_id` names an active one (anything else is ignored: a
    sign-in does not fail, nor tell whether an account exists, over a referral link)."""
    if kind != "customer" or referrer_id is None:
        return None
    return await session.scalar(select(User.id).where(User.id == referrer_id, User.kind == "customer",
                                                      User.is_active, User.deleted_at.is_(None)))


async def _get_or_create_by_phone(session: AsyncSession, kind: str, phone: str, consent: str | None, *,
                                  channel: str | None = None, referrer_id: int | None = None) -> User:
    user = await _user_by_phone(session, kind, phone)
    if user is None:
        if not consent:
            raise AppError("consent_required", errors=[{"field": "consent_version", "message": "required"}])
        user = User(kind=kind, phone=phone, nickname=f"{'用户' if kind == 'customer' else '师傅'}{phone[-4:]}",
                    roles=[], source_channel=channel, referrer_id=await _referrer(session, kind, referrer_id))
        session.add(user)
        await session.flush()
        await session.refresh(user)
        await publish(session, ["role:admin"], "user.registered", {"user_id": user.id, "kind": kind})
    if not user.is_active:
        raise AppError("account_disabled")
    _record_consent(user, consent)
    return user


async def note_channel(session: AsyncSession, user_id: int, channel: str | None) -> None:
    """Record `channel` as the account's first channel if none is recorded yet (accounts made before
    channels were recorded, or by a client that did not say, take their first order's)."""
    if channel:
        await session.execute(update(User).where(User.id == user_id, User.source_channel.is_(None))
                              .values(source_channel=channel).execution_options(synchronize_session="fetch"))


async def login_sms(session: AsyncSession, data: schemas.SmsLogin, channel: str | None = None) -> schemas.TokenPair:
    await verify_sms_code(session, data.phone, "login", data.code)
    user = await _get_or_create_by_phone(session, data.app, data.phone, data.consent_version, channel=channel,
                                         referrer_id=data.referrer_id)
    return await issue_tokens(session, user, data.app)


async def _login_limits(session: AsyncSession, kind: str, account: str, ip: str | None) -> None:
    """Refuse (429) once the account name or the IP has too many failures in the window. Advisory
    locks serialise attempts per account and per IP so concurrent guesses cannot overshoot; the
    account name counts whether or not it exists, so the answer reveals nothing."""
    s = get_settings()
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"login:{kind}:{account}"})
    if ip:
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"login-ip:{ip}"})
    t = now()
    window = timedelta(minutes=s.login_failure_window_minutes)
    last_ok = await session.scalar(select(func.max(LoginAttempt.created_at)).where(
        LoginAttempt.kind == kind, LoginAttempt.account == account, LoginAttempt.succeeded,
        LoginAttempt.created_at > t - window))
    checks = [("login_locked", s.login_account_max_failures,
               (LoginAttempt.kind == kind, LoginAttempt.account == account,
                LoginAttempt.created_at > max(t - window, last_ok or t - window)))]
    if ip:
        checks.append(("login_rate_limited", s.login_ip_max_failures,
                       (LoginAttempt.ip == ip, LoginAttempt.created_at > t - window)))
    for code, limit, where in checks:
        count, oldest = (await session.execute(select(func.count(), func.min(LoginAttempt.created_at))
                                               .where(~LoginAttempt.succeeded, *where))).one()
        if count >= limit:
            retry = max(1, int((oldest + window - t).total_seconds()) + 1)
            raise AppError(code, headers={"Retry-After": str(retry)})


async def login_password(session: AsyncSession, data: schemas.PasswordLogin, ip: str | None = None
                         ) -> schemas.TokenPair:
    account = data.account.strip()
    kind = "staff" if data.app == "admin" else data.app
    name = account.lower()
    await _login_limits(session, kind, name, ip)
    if kind == "staff":
        where = User.username == account
    elif "@" in account:
        where = User.email == name
    else:
        where = phone_is(account)
    user = await session.scalar(select(User).where(User.kind == kind, where, User.deleted_at.is_(None)))
    # one argon2 verification whether or not the account exists: same answer, same time
    if not verify_password(data.password, user.password_hash if user else None) or user is None:
        session.add(LoginAttempt(kind=kind, account=name, ip=ip, succeeded=False, created_at=now()))
        await session.commit()  # the failure must count although this request fails
        raise AppError("invalid_credentials")
    session.add(LoginAttempt(kind=kind, account=name, ip=ip, succeeded=True, created_at=now()))
    if not user.is_active:
        raise AppError("account_disabled")
    if "@" in account and kind != "staff" and user.email_verified_at is None:
        raise AppError("email_not_verified")
    return await issue_tokens(session, user, data.app)


async def register_email(session: AsyncSession, data: schemas.EmailRegistration, channel: str | None = None
                         ) -> schemas.EmailRegistrationSent:
    """Sign-up by e-mail answers the same whether or not the address has an account (and takes
    the same time: one argon2 hash either way). A new address gets a verification link; a known
    one gets a notice that an account exists, so only the mailbox's owner learns which."""
    check_password_strength(data.password)
    if not data.consent_version:
        raise AppError("consent_required", errors=[{"field": "consent_version", "message": "required"}])
    email = data.email.lower()
    password_hash = hash_password(data.password)
    taken = await session.scalar(select(User.id).where(User.kind == data.app, User.email == email))
    if taken is None:
        user = User(kind=data.app, email=email, password_hash=password_hash,
                    nickname=data.nickname or email.split("@")[0], roles=[], source_channel=channel)
        _record_consent(user, data.consent_version)
        try:
            async with session.begin_nested():
                session.add(user)
                await session.flush()
        except IntegrityError:  # registered concurrently: treat it as taken
            taken = True
    if taken is None:
        await session.refresh(user)
        await _send_verification(session, user, email)
    else:
        await _send_already_registered(email)
    return schemas.EmailRegistrationSent(email=email, expires_in=VERIFICATION_HOURS * 3600)


async def _send_already_registered(email: str) -> None:
    await mail.send_mail(email, "【安家】该邮箱已注册",
                         "您好，有人（可能是您本人）尝试用此邮箱注册安家账号，但该邮箱已注册。\n"
                         f"请直接登录：{get_settings().public_url}/ ；如忘记密码，可用手机号验证码登录后修改。\n"
                         "如非本人操作，请忽略本邮件。")


async def _send_verification(session: AsyncSession, user: User, email: str) -> None:
    token = new_secret()
    session.add(EmailVerification(user_id=user.id, email=email, token_hash=digest(token),
                                  expires_at=now() + timedelta(hours=VERIFICATION_HOURS)))
    await session.flush()
    link = f"{get_settings().public_url}/#/pages/verify-email?token={token}"
    await mail.send_mail(email, "【安家】请验证您的邮箱",
                         f"您好，请在 24 小时内打开以下链接完成邮箱验证：\n{link}\n\n验证码令牌：{token}")


async def verify_email(session: AsyncSession, token: str) -> User:
    row = await session.scalar(select(EmailVerification).where(EmailVerification.token_hash.in_(digests(token)))
                               .with_for_update())
    if row is None or row.used_at is not None or row.expires_at <= now():
        raise AppError("email_token_invalid")
    user = await session.get(User, row.user_id)
    if user is None or user.deleted_at is not None:
        raise AppError("email_token_invalid")
    row.used_at = now()
    user.email, user.email_verified_at = row.email, now()
    try:
        await session.flush()
    except IntegrityError:
        raise AppError("email_taken") from None
    return user


async def login_wechat(session: AsyncSession, data: schemas.WechatLogin
                       ) -> schemas.TokenPair | schemas.WechatNeedsPhone:
    wx = await wechat.code2session(data.code)
    user = await session.scalar(select(User).where(User.kind == data.app, User.wechat_openid == wx.openid,
                                                   User.deleted_at.is_(None)))
    if user is not None:
        if not user.is_active:
            raise AppError("account_disabled")
        return await issue_tokens(session, user, data.app)
    token = new_secret()
    session.add(WechatBinding(token_hash=digest(token), app=data.app, openid=wx.openid, unionid=wx.unionid,
                              expires_at=now() + timedelta(minutes=10)))
    await session.flush()
    return schemas.WechatNeedsPhone(binding_token=token)


async def bind_wechat_phone(session: AsyncSession, data: schemas.WechatBindPhone, channel: str | None = None
                            ) -> schemas.TokenPair:
    binding = await session.scalar(select(WechatBinding).where(WechatBinding.token_hash.in_(digests(data.binding_token)))
                                   .with_for_update())
    if binding is None or binding.used_at is not None or binding.expires_at <= now():
        raise AppError("wechat_binding_invalid")
    await verify_sms_code(session, data.phone, "login", data.code)
    user = await _get_or_create_by_phone(session, binding.app, data.phone, data.consent_version,
                                         channel=channel, referrer_id=data.referrer_id)
    user.wechat_openid, user.wechat_unionid = binding.openid, binding.unionid
    binding.used_at = now()
    return await issue_tokens(session, user, binding.app)


# ---------------------------------------------------------------- me
async def update_profile(session: AsyncSession, user: User, data: schemas.ProfileUpdate) -> User:
    if data.nickname is not None:
        user.nickname = data.nickname
    if data.avatar_url is not None:
        user.avatar_url = data.avatar_url
    if data.email is not None and data.email.lower() != user.email:
        # The new address becomes the account's only once its owner proves it. Whether another
        # account holds it is not said here (that would reveal accounts): a verification of an
        # address taken meanwhile fails with `email_taken`, seen only by the mailbox's owner.
        await _send_verification(session, user, data.email.lower())
    await session.flush()
    return user


async def change_password(session: AsyncSession, user: User, data: schemas.PasswordChange,
                          keep_sign_in: str | None = None) -> None:
    """Set a new password and end every other sign-in (their refresh tokens are revoked; their
    access tokens run out within ACCESS_TOKEN_MINUTES). The caller's own sign-in stays."""
    if user.password_hash and not verify_password(data.old_password or "", user.password_hash):
        raise AppError("wrong_password", errors=[{"field": "old_password", "message": "wrong"}])
    check_password_strength(data.new_password)
    user.password_hash = hash_password(data.new_password)
    await revoke_sign_ins(session, user.id, keep=keep_sign_in)


async def revoke_sign_ins(session: AsyncSession, user_id: int, keep: str | None = None) -> None:
    """Revoke the user's refresh tokens, all of them or all but the sign-in `keep`."""
    where = [RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)]
    if keep:
        try:
            where.append(RefreshToken.family_id != uuid.UUID(keep))
        except ValueError:
            pass
    await session.execute(update(RefreshToken).where(*where).values(revoked_at=now()))
    await session.flush()


async def record_consent(session: AsyncSession, user: User, version: str) -> User:
    _record_consent(user, version)
    await session.flush()
    return user


async def delete_account(session: AsyncSession, user: User) -> None:
    """Anonymise: personal data goes, the row stays for records the law makes us keep
    (orders, invoices, payments refer to it)."""
    user.phone = user.email = user.password_hash = user.wechat_openid = user.wechat_unionid = None
    user.avatar_url = None
    user.nickname = "已注销用户"
    user.is_active = False
    user.deleted_at = now()
    await revoke_sign_ins(session, user.id)


# ---------------------------------------------------------------- staff administration
async def list_users(session: AsyncSession, *, kinds: list[str], q: str | None, page: int, page_size: int
                     ) -> Page[schemas.UserOut]:
    where = [User.kind.in_(kinds), User.deleted_at.is_(None)]
    if q:
        like = like_pattern(q)
        where.append(or_(phone_search(q), User.nickname.ilike(like), User.email.ilike(like),
                         User.username.ilike(like)))
    total = await session.scalar(select(func.count()).select_from(User).where(*where)) or 0
    rows = await session.scalars(select(User).where(*where).order_by(User.id.desc())
                                 .offset((page - 1) * page_size).limit(page_size))
    return Page[schemas.UserOut](items=[user_out(u) for u in rows], total=total, page=page,
                                         page_size=page_size)


def _check_roles(roles: list[str]) -> list[str]:
    bad = [r for r in roles if r not in rbac.ROLES]
    if bad:
        raise AppError("invalid_role", errors=[{"field": "roles", "message": ", ".join(bad)}])
    return sorted(set(roles), key=list(rbac.ROLES).index)


def _staff_snapshot(u: User) -> dict:
    return {"username": u.username, "nickname": u.nickname, "roles": list(u.roles or []), "is_active": u.is_active}


async def create_staff(session: AsyncSession, actor: User, data: schemas.StaffCreate, ip: str | None) -> User:
    check_password_strength(data.password)
    roles = _check_roles(data.roles)
    if await session.scalar(select(User.id).where(User.username == data.username)):
        raise AppError("username_taken", errors=[{"field": "username", "message": "taken"}])
    user = User(kind="staff", username=data.username, nickname=data.nickname or data.username,
                password_hash=hash_password(data.password), roles=roles)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        raise AppError("username_taken", errors=[{"field": "username", "message": "taken"}]) from None
    await session.refresh(user)
    await audit.record(session, actor, "staff.create", "user", user.id, None, _staff_snapshot(user), ip)
    return user


async def update_staff(session: AsyncSession, actor: User, staff_id: int, data: schemas.StaffUpdate,
                       ip: str | None) -> User:
    user = await session.scalar(select(User).where(User.id == staff_id, User.kind == "staff").with_for_update())
    if user is None:
        raise AppError("not_found")
    before = _staff_snapshot(user)
    if data.roles is not None:
        roles = _check_roles(data.roles)
        if user.id == actor.id and "admin" in user.roles and "admin" not in roles:
            raise AppError("cannot_demote_self")
        user.roles = roles
    if data.is_active is not None:
        if user.id == actor.id and not data.is_active:
            raise AppError("cannot_demote_self")
        user.is_active = data.is_active
        if not data.is_active:
            await revoke_sign_ins(session, user.id)
    if data.nickname is not None:
        user.nickname = data.nickname
    await session.flush()
    await session.refresh(user)
    await audit.record(session, actor, "staff.update", "user", user.id, before, _staff_snapshot(user), ip)
    await publish(session, [f"user:{user.id}"], "account.roles_changed", {"roles": list(user.roles)})
    return user


async def list_audit_logs(session: AsyncSession, page: int, page_size: int) -> Page[schemas.AuditLogOut]:
    total = await session.scalar(select(func.count()).select_from(AuditLog)) or 0
    rows = await session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).offset((page - 1) * page_size)
                                 .limit(page_size))
    return Page[schemas.AuditLogOut](items=[schemas.AuditLogOut.model_validate(r) for r in rows],
                                             total=total, page=page, page_size=page_size)
