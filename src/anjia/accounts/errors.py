"""Sign-in, sign-up, profile and staff errors.
Codes and texts are stable: the apps show them."""
from anjia.core.errors import define

INVALID_PHONE = define("invalid_phone", 422, "手机号格式不正确", "The phone number is not valid")
SMS_RATE_LIMITED = define("sms_rate_limited", 429, "验证码发送过于频繁，请稍后再试",
                          "Too many codes requested; try again later")
SMS_CODE_INVALID = define("sms_code_invalid", 400, "验证码错误", "The code is wrong")
SMS_CODE_EXPIRED = define("sms_code_expired", 400, "验证码已过期，请重新获取", "The code has expired; request a new one")
SMS_CODE_LOCKED = define("sms_code_locked", 400, "错误次数过多，请重新获取验证码",
                         "Too many wrong tries; request a new code")
LOGIN_LOCKED = define("login_locked", 429, "登录失败次数过多，请稍后再试",
                      "Too many failed sign-ins for this account; try again later")
LOGIN_RATE_LIMITED = define("login_rate_limited", 429, "登录尝试过于频繁，请稍后再试",
                            "Too many failed sign-ins from this network; try again later")
INVALID_CREDENTIALS = define("invalid_credentials", 400, "账号或密码错误", "Wrong account or password")
CONSENT_REQUIRED = define("consent_required", 400, "请先阅读并同意隐私政策", "Please accept the privacy policy first")
EMAIL_TAKEN = define("email_taken", 409, "该邮箱已注册", "This email is already registered")
PHONE_TAKEN = define("phone_taken", 409, "该手机号已被其他账号使用", "This phone number is used by another account")
USERNAME_TAKEN = define("username_taken", 409, "用户名已存在", "This username is taken")
EMAIL_TOKEN_INVALID = define("email_token_invalid", 400, "验证链接无效或已过期",
                             "The verification link is invalid or expired")
EMAIL_NOT_VERIFIED = define("email_not_verified", 400, "邮箱尚未验证", "The email address is not verified yet")
WEAK_PASSWORD = define("weak_password", 422, "密码至少 8 位，且包含字母和数字",
                       "Use at least 8 characters with letters and digits")
WRONG_PASSWORD = define("wrong_password", 400, "原密码错误", "The current password is wrong")
WECHAT_NOT_CONFIGURED = define("wechat_not_configured", 400, "未配置微信小程序登录", "WeChat login is not configured")
WECHAT_CODE_INVALID = define("wechat_code_invalid", 400, "微信登录失败，请重试", "WeChat sign-in failed; try again")
WECHAT_BINDING_INVALID = define("wechat_binding_invalid", 400, "微信绑定已过期，请重新登录",
                                "The WeChat binding expired; sign in again")
WRONG_APP = define("wrong_app", 403, "该账号不能登录此应用", "This account cannot sign in to this app")
INVALID_ROLE = define("invalid_role", 422, "角色不存在", "Unknown role")
CANNOT_DEMOTE_SELF = define("cannot_demote_self", 400, "不能移除自己的管理员角色",
                            "You cannot remove your own admin role")
REFRESH_TOKEN_INVALID = define("refresh_token_invalid", 401, "登录凭证无效，请重新登录", "The refresh token is invalid")
REFRESH_TOKEN_REUSED = define("refresh_token_reused", 401, "登录凭证已被使用，已为安全起见退出所有设备",
                              "The refresh token was reused; all sessions of this sign-in were revoked")
