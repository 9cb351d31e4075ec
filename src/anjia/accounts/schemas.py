from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, computed_field

from anjia.core.rbac import permissions_of
from anjia.core.types import Id, Name, Patch, Phone, SmsCode, Text, Url

App = Literal["customer", "worker"]
Version = Text(32, min_length=1)
Password = Text(128, min_length=1)
NewPassword = Text(128, min_length=8)
Token = Text(200, min_length=10)


class SmsCodeRequest(BaseModel):
    phone: Phone = Field(examples=["13800000001"], description="China mainland mobile number")
    purpose: Literal["login", "bind"] = "login"


class SmsCodeSent(BaseModel):
    expires_in: int
    resend_after: int


class SmsLogin(BaseModel):
    phone: Phone = Field(examples=["13800000001"], description="China mainland mobile number")
    code: SmsCode
    app: App
    consent_version: Version | None = None
    referrer_id: Id | None = Field(None, description="the customer whose referral link brought a new customer")


class PasswordLogin(BaseModel):
    account: Text(254, min_length=1) = Field(description="phone, email or staff username")
    password: Password
    app: Literal["customer", "worker", "admin"]


class EmailRegistration(BaseModel):
    email: EmailStr
    password: NewPassword
    app: App
    nickname: Text(64) = ""
    consent_version: Version | None = None


class EmailRegistrationSent(BaseModel):
    """A mail went to `email`: a verification link, or a notice that the address is registered."""
    email: str
    expires_in: int = Field(description="seconds the verification link stays valid")


class EmailVerify(BaseModel):
    token: Token


class WechatLogin(BaseModel):
    code: Text(128, min_length=1)
    app: App


class WechatBindPhone(BaseModel):
    binding_token: Token
    phone: Phone = Field(examples=["13800000001"], description="China mainland mobile number")
    code: SmsCode
    consent_version: Version | None = None
    referrer_id: Id | None = Field(None, description="the customer whose referral link brought a new customer")


class RefreshRequest(BaseModel):
    refresh_token: Token


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

    @computed_field
    @property
    def permissions(self) -> list[str]:
        """What the roles grant (staff): the console shows the menus and buttons these allow, even to
        roles that cannot read the role table."""
        return permissions_of(self.roles) if self.kind == "staff" else []


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserOut


class WechatNeedsPhone(BaseModel):
    needs_phone: Literal[True] = True
    binding_token: str


class ProfileUpdate(Patch):
    nickname: Name = None
    avatar_url: Url = None
    email: EmailStr = None


class PasswordChange(BaseModel):
    old_password: Text(128) | None = None
    new_password: NewPassword


class ConsentIn(BaseModel):
    version: Version


class StaffCreate(BaseModel):
    username: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{2,31}$")
    password: NewPassword
    nickname: Text(64) = ""
    roles: list[Text(32)] = Field(default_factory=list, max_length=5)


class StaffUpdate(Patch):
    roles: list[Text(32)] = Field(default=None, max_length=5)
    is_active: bool = None
    nickname: Name = None


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
