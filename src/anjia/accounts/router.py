"""Thin endpoints: parse, authorise, call the service."""
from typing import Literal

from fastapi import APIRouter, Request, Response

from anjia.accounts import errors as e
from anjia.accounts import schemas, service
from anjia.core import rbac
from anjia.core.auth import CurrentSignIn, CurrentUser, Session, client_ip, staff_with
from anjia.core.errors import lang_of, responses
from anjia.core.paging import Page
from anjia.core.params import ClientChannel, Id, PageNo, PageSize, Search
from anjia.sms import errors as sms_errors

auth = APIRouter(prefix="/auth", tags=["auth"], responses=responses(
    e.INVALID_PHONE, e.SMS_RATE_LIMITED, e.SMS_CODE_INVALID, e.SMS_CODE_EXPIRED, e.SMS_CODE_LOCKED,
    e.INVALID_CREDENTIALS, e.LOGIN_LOCKED, e.LOGIN_RATE_LIMITED, "account_disabled", e.CONSENT_REQUIRED,
    e.EMAIL_TAKEN, e.PHONE_TAKEN, e.EMAIL_TOKEN_INVALID, e.EMAIL_NOT_VERIFIED, e.WEAK_PASSWORD, e.WECHAT_NOT_CONFIGURED, e.WECHAT_CODE_INVALID, e.WECHAT_BINDING_INVALID,
    e.WRONG_APP, e.REFRESH_TOKEN_INVALID, e.REFRESH_TOKEN_REUSED, "token_expired", "token_invalid"))
me = APIRouter(prefix="/me", tags=["me"], responses=responses(
    e.EMAIL_TAKEN, e.PHONE_TAKEN, e.WRONG_PASSWORD, e.WEAK_PASSWORD, e.CONSENT_REQUIRED))
admin = APIRouter(prefix="/admin", tags=["admin"], responses=responses(
    "not_found", e.INVALID_ROLE, e.CANNOT_DEMOTE_SELF, e.USERNAME_TAKEN, e.WEAK_PASSWORD))


@auth.post("/sms-codes", status_code=202, responses=responses(sms_errors.SMS_PHONE_REJECTED, sms_errors.SMS_UNAVAILABLE))
async def send_sms_code(body: schemas.SmsCodeRequest, request: Request, session: Session) -> schemas.SmsCodeSent:
    return await service.send_sms_code(session, body.phone, body.purpose, client_ip(request))


@auth.post("/login/sms")
async def login_sms(body: schemas.SmsLogin, session: Session, channel: ClientChannel = None) -> schemas.TokenPair:
    """A new account records `X-Client` as its first channel (and `referrer_id`, a customer's referral)."""
    return await service.login_sms(session, body, channel)


@auth.post("/login/password")
async def login_password(body: schemas.PasswordLogin, request: Request, session: Session) -> schemas.TokenPair:
    return await service.login_password(session, body, client_ip(request))


@auth.post("/login/wechat")
async def login_wechat(body: schemas.WechatLogin, session: Session
                       ) -> schemas.TokenPair | schemas.WechatNeedsPhone:
    return await service.login_wechat(session, body)


@auth.post("/wechat/bind-phone")
async def bind_wechat_phone(body: schemas.WechatBindPhone, session: Session, channel: ClientChannel = None
                            ) -> schemas.TokenPair:
    return await service.bind_wechat_phone(session, body, channel)


@auth.post("/register/email", status_code=202)
async def register_email(body: schemas.EmailRegistration, session: Session, channel: ClientChannel = None
                         ) -> schemas.EmailRegistrationSent:
    """The same answer whether or not the address already has an account (the mail differs)."""
    return await service.register_email(session, body, channel)


@auth.post("/email/verify")
async def verify_email(body: schemas.EmailVerify, session: Session) -> schemas.UserOut:
    return service.user_out(await service.verify_email(session, body.token), own=True)


@auth.post("/refresh")
async def refresh(body: schemas.RefreshRequest, session: Session) -> schemas.TokenPair:
    return await service.refresh(session, body.refresh_token)


@auth.post("/logout", status_code=204)
async def logout(body: schemas.RefreshRequest, session: Session) -> Response:
    await service.logout(session, body.refresh_token)
    return Response(status_code=204)


@me.get("")
async def get_me(user: CurrentUser) -> schemas.UserOut:
    return service.user_out(user, own=True)


@me.patch("")
async def update_me(body: schemas.ProfileUpdate, user: CurrentUser, session: Session) -> schemas.UserOut:
    return service.user_out(await service.update_profile(session, user, body), own=True)


@me.post("/password", status_code=204)
async def change_password(body: schemas.PasswordChange, user: CurrentUser, sign_in: CurrentSignIn,
                          session: Session) -> Response:
    await service.change_password(session, user, body, keep_sign_in=sign_in)
    return Response(status_code=204)


@me.post("/consent")
async def consent(body: schemas.ConsentIn, user: CurrentUser, session: Session) -> schemas.UserOut:
    return service.user_out(await service.record_consent(session, user, body.version), own=True)






@admin.get("/roles", dependencies=[staff_with("staff.read")])
async def list_roles(request: Request) -> list[schemas.RoleOut]:
    lang = lang_of(request)
    return [schemas.RoleOut(code=code, name=r["en" if lang == "en" else "zh"],
                            permissions=rbac.permissions_of([code])) for code, r in rbac.ROLES.items()]


@admin.get("/users", dependencies=[staff_with("users.read")])
async def list_users(session: Session, kind: Literal["customer", "worker"] | None = None, q: Search = None,
                     page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.UserOut]:
    kinds = [kind] if kind else ["customer", "worker"]
    return await service.list_users(session, kinds=kinds, q=q, page=page, page_size=page_size)


@admin.get("/staff", dependencies=[staff_with("staff.read")])
async def list_staff(session: Session, q: Search = None, page: PageNo = 1, page_size: PageSize = 20
                     ) -> Page[schemas.UserOut]:
    return await service.list_users(session, kinds=["staff"], q=q, page=page, page_size=page_size)


@admin.post("/staff", status_code=201)
async def create_staff(body: schemas.StaffCreate, request: Request, session: Session,
                       actor=staff_with("staff.write")) -> schemas.UserOut:
    return service.user_out(await service.create_staff(session, actor, body, client_ip(request)))


@admin.patch("/staff/{staff_id}")
async def update_staff(staff_id: Id, body: schemas.StaffUpdate, request: Request, session: Session,
                       actor=staff_with("staff.write")) -> schemas.UserOut:
    return service.user_out(await service.update_staff(session, actor, staff_id, body, client_ip(request)))


@admin.get("/audit-logs", dependencies=[staff_with("audit.read")])
async def list_audit_logs(session: Session, page: PageNo = 1, page_size: PageSize = 20
                          ) -> Page[schemas.AuditLogOut]:
    return await service.list_audit_logs(session, page, page_size)
