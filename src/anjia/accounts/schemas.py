from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Phone = Field(pattern=r"^1[3-9]\d{9}$", examples=["13800000001"], description="China mainland mobile number")
App = Literal["customer", "worker"]


class SmsCodeRequest(BaseModel):
    phone: str = Phone
    purpose: Literal["login", "bind"] = "login"


class SmsCodeSent(BaseModel):
    expires_in: int
    resend_after: int


class SmsLogin(BaseModel):
    phone: str = Phone
    code: str = Field(pattern=r"^\d{6}$")
    app: App
    consent_version: str | None = Field(default=None, max_length=32)


class PasswordLogin(BaseModel):
    account: str = Field(min_length=1, max_length=254, description="phone, email or staff username")
    password: str = Field(min_length=1, max_length=128)
    app: Literal["customer", "worker", "admin"]


class EmailRegistration(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=128)
    app: App
    nickname: str = Field(default="", max_length=64)
    consent_version: str | None = Field(default=None, max_length=32)


class EmailRegistrationSent(BaseModel):
    """A mail went to `email`: a verification link, or a notice that the address is registered."""
    email: str
    expires_in: int = Field(description="seconds the verification link stays valid")


class EmailVerify(BaseModel):
    token: str = Field(min_length=10, max_length=200)


class WechatLogin(BaseModel):
    code: str = Field(min_length=1, max_length=128)
    app: App


class WechatBindPhone(BaseModel):
    binding_token: str = Field(min_length=10, max_length=200)
    phone: str = Phone
    code: str = Field(pattern=r"^\d{6}$")
    consent_version: str | None = Field(default=None, max_length=32)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: Literal["customer", "worker", "staff"]
    phone: str | None
    email: str | None
    email_verified: bool
    nickname: str
    avatar_url: str | None
    username: str | None
    roles: list[str]
    is_active: bool
    consent_version: str | None
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserOut


class WechatNeedsPhone(BaseModel):
    needs_phone: Literal[True] = True
    binding_token: str


class ProfileUpdate(BaseModel):
    nickname: str | None = Field(default=None, min_length=1, max_length=64)
    avatar_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://")
    email: EmailStr | None = None


class PasswordChange(BaseModel):
    old_password: str | None = Field(default=None, max_length=128)
    new_password: str = Field(min_length=8, max_length=128)


class ConsentIn(BaseModel):
    version: str = Field(min_length=1, max_length=32)


class StaffCreate(BaseModel):
    username: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{2,31}$")
    password: str = Field(min_length=8, max_length=128)
    nickname: str = Field(default="", max_length=64)
    roles: list[str] = Field(default_factory=list, max_length=5)


class StaffUpdate(BaseModel):
    roles: list[str] | None = Field(default=None, max_length=5)
    is_active: bool | None = None
    nickname: str | None = Field(default=None, min_length=1, max_length=64)


class RoleOut(BaseModel):
    code: str
    name: str
    permissions: list[str]


class AuditLogOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: str | None
    before: dict | None
    after: dict | None
    created_at: datetime
