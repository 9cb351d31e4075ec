"""Settings from the environment and `.env` (prefix-free names, e.g. DATABASE_URL)."""
import os
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The secret this file used to ship with: anyone who read the source could sign tokens with it.
# No longer a default; outside development a server configured with it refuses to start.
LEGACY_DEFAULT_SECRET = "dev-secret-change-me-in-production-0123456789"
MIN_SECRET_BYTES = 32
DEVELOPMENT_ENVS = ("development", "test")
SECRET_FILE = "secret_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # development | test | production (or any other name): everything but development and test
    # refuses to start without a strong SECRET_KEY. Read from ANJIA_ENV (or ENV).
    env: str = Field("development", validation_alias=AliasChoices("ANJIA_ENV", "ENV"))
    # External PostgreSQL; when empty the embedded server in `data_dir/pg` is used.
    database_url: str = ""
    # A hot standby for statistics and reports (`core.db.replica_session`): used while it answers and
    # has replayed the primary's WAL within REPLICA_MAX_LAG_SECONDS (checked at most every
    # REPLICA_CHECK_SECONDS per process), else those reads go to the primary.
    database_replica_url: str = ""
    replica_max_lag_seconds: float = 5.0
    replica_check_seconds: float = 1.0
    # Connections each process keeps (0: share DB_CONNECTIONS_BUDGET among the API processes, at
    # most 20 each) and may open beyond that in a burst; connections older than DB_POOL_RECYCLE
    # seconds are replaced. The server's max_connections must cover processes × (size + overflow)
    # plus the job worker's.
    db_pool_size: int = 0
    db_pool_overflow: int = 10
    db_pool_recycle: int = 1800
    db_connections_budget: int = 60
    # API processes `anjia serve` runs (0: one per core); it tells each of them the number.
    web_concurrency: int = Field(0, validation_alias=AliasChoices("WEB_CONCURRENCY", "ANJIA_WORKERS"))
    data_dir: Path = Path("var")
    # WAL archiving of the embedded server (`anjia serve`, `anjia db …` without DATABASE_URL): every
    # finished WAL segment is copied to WAL_ARCHIVE_DIR (empty: data_dir/wal-archive), which with a
    # base backup (`anjia db basebackup`) allows recovery to any point in time (`anjia db recover`).
    # WAL_ARCHIVE=false turns it off at the next start the CLI makes. With DATABASE_URL the server
    # archives by its own configuration; WAL_ARCHIVE_DIR must then name that archive.
    wal_archive: bool = True
    wal_archive_dir: str = ""
    web_dir: Path = Path("web")
    # Signs access tokens and media links and keys the stored hashes of codes and refresh tokens.
    # Empty in development: a per-install secret is generated into data_dir/secret_key (0600).
    secret_key: str = ""
    # Earlier secrets, comma-separated, still accepted (key id `kid`) until what they signed expires.
    secret_keys_previous: str = ""
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 32 * 1_048_576
    region_timezone: str = "Asia/Shanghai"
    privacy_policy_version: str = "2026-11"

    # SMS: "console" writes codes to the log and var/sms-outbox.jsonl; "aliyun" (Alibaba Cloud SMS:
    # ALIYUN_ACCESS_KEY_ID / ALIYUN_ACCESS_KEY_SECRET) or "tencent" (Tencent Cloud SMS: TENCENT_SECRET_ID /
    # TENCENT_SECRET_KEY, TENCENT_SMS_APP_ID the SmsSdkAppId) send approved templates signed SMS_SIGN_NAME.
    # SMS_TEMPLATES (JSON) maps a message kind to the provider's template id: "code" (the sign-in code:
    # code, minutes), "order.accepted" (service, worker), "order.departed" / "order.checked_in" (worker),
    # "order.checked_out" / "order.supplement_requested" / "order.refunded" / "order.worker_withdrawn" /
    # "order.dispatch_failed" (service), and "notice" (title) for every other notification kind. Variables
    # in that order for Tencent ({1}, {2}), by name for Aliyun (${service}). *_SMS_ENDPOINT / *_SMS_SCHEME
    # point at a test server.
    sms_provider: str = "console"
    sms_sign_name: str = "安家"
    sms_templates: dict[str, str] = {}
    sms_timeout_seconds: int = 10
    aliyun_access_key_id: str = ""
    aliyun_access_key_secret: str = ""
    aliyun_sms_endpoint: str = ""  # host[:port]; empty: dysmsapi.aliyuncs.com
    aliyun_sms_scheme: str = "https"
    tencent_sms_app_id: str = ""
    tencent_sms_endpoint: str = ""  # host[:port]; empty: sms.tencentcloudapi.com
    tencent_sms_scheme: str = "https"
    sms_code_ttl_seconds: int = 300
    sms_resend_seconds: int = 60
    sms_daily_limit: int = 10
    sms_ip_hourly_limit: int = 30
    sms_max_attempts: int = 5

    # Password sign-in: at most N failures per account name (existing or not) and per IP within
    # the window; further tries are refused (429 + Retry-After) until the oldest leaves the window.
    login_failure_window_minutes: int = 15
    login_account_max_failures: int = 5
    login_ip_max_failures: int = 50

    # Proxies whose X-Forwarded-For / X-Real-IP name the client (comma-separated IPs or CIDRs).
    # Empty: the direct peer is the client. Behind nginx on the same host: TRUSTED_PROXIES=127.0.0.1
    trusted_proxies: str = ""

    # /metrics: with a token, `Authorization: Bearer <METRICS_TOKEN>` from anywhere; without one,
    # only from the loopback interface.
    metrics_token: str = ""

    # Mail: "console" or "smtp".
    mail_provider: str = "console"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "安家 <no-reply@anjia.local>"
    public_url: str = "http://127.0.0.1:8000"

    # Face verification of a new worker's selfie against their name and ID number: "manual"
    # (operators compare the ID photo and the selfie in the console) or "tencent" (Tencent Cloud
    # FaceID ImageRecognitionV2; TENCENT_SECRET_ID / TENCENT_SECRET_KEY, FACEID_ENDPOINT for a test
    # server, FACEID_PASS_SCORE: similarity 0..100 from which it is the same person).
    face_provider: str = "manual"
    tencent_secret_id: str = ""
    tencent_secret_key: str = ""
    tencent_region: str = "ap-guangzhou"
    faceid_endpoint: str = ""  # host[:port]; empty: faceid.tencentcloudapi.com
    faceid_scheme: str = "https"
    faceid_pass_score: float = 70.0

    # Media (photos and videos of service records, certificates, tickets, reviews): "local" keeps them in
    # DATA_DIR/media behind our own signed links; "s3" in an S3-compatible bucket (AWS S3, MinIO, Aliyun
    # OSS, Tencent COS) behind presigned GET URLs. S3_ENDPOINT_URL empty: AWS; e.g. http://127.0.0.1:9000
    # (MinIO), https://oss-cn-shanghai.aliyuncs.com (OSS, S3_ADDRESSING_STYLE=virtual),
    # https://cos.ap-shanghai.myqcloud.com (COS, virtual). The bucket stays private.
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"
    # Where browsers and apps reach the bucket when the server uses another address (e.g. MinIO at
    # http://minio:9000 inside, https://media.example.com outside); links are signed for this host.
    s3_public_endpoint_url: str = ""

    # Maps and places (all coordinates GCJ-02): "none" (default: no place search, ETAs from the
    # straight line at 25 km/h) or "tencent" (Tencent Location Service WebService API: suggestions,
    # geocoding, reverse geocoding, driving routes; TENCENT_LBS_KEY with its SN-check secret
    # TENCENT_LBS_SK; TENCENT_LBS_BASE for a test server). Driving times are cached per ~500 m
    # origin/destination cell for MAPS_CACHE_SECONDS; a failing provider falls back to the straight
    # line and is left alone for MAPS_BACKOFF_SECONDS.
    maps_provider: str = "none"
    tencent_lbs_key: str = ""
    tencent_lbs_sk: str = ""
    tencent_lbs_base: str = "https://apis.map.qq.com"
    maps_timeout_seconds: float = 3.0
    maps_cache_seconds: int = 600
    maps_backoff_seconds: int = 30
    # Map tiles the apps draw under their markers: a Leaflet URL template in GCJ-02 (Tencent or Amap
    # raster tiles, e.g. https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}
    # with MAP_TILES_SUBDOMAINS=1234), its attribution text; empty: the apps draw their tile-free grid.
    map_tiles_url: str = ""
    map_tiles_subdomains: str = ""
    map_tiles_attribution: str = ""

    # WeChat mini program (code2session).
    wechat_appid: str = ""
    wechat_secret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"
    # WeChat subscribe messages. WECHAT_SUBSCRIBE (JSON) maps a notification kind to its template:
    # {"order.accepted": {"template_id": "...", "page": "booking/order/index?id={order_id}",
    #   "fields": {"thing1": "{service}", "thing2": "{worker}"}}} — values formatted from the
    # notification's SMS variables, its data and title/body. WECHAT_SUBSCRIBE_MOMENTS: which kinds the
    # mini program asks the user to subscribe to at which moment (≤ 3 per moment, WeChat's limit).
    # A kind without a subscription left (refused, or each accepted one used) falls back to SMS.
    wechat_subscribe: dict[str, dict] = {}
    wechat_subscribe_moments: dict[str, list[str]] = {
        "booked": ["order.accepted", "order.departed", "order.checked_out"],
        "accepted": ["order.schedule_change", "review.created", "statement.paid"]}

    # Payments: the external providers offered to customers, comma-separated, in the order shown
    # (wechatpay, alipay, unionpay, sandbox); balance is always offered, offline is staff-only.
    payment_providers: str = "sandbox"
    # Operator refunds above this many fen wait for a finance approval.
    refund_approval_threshold: int = 20_000

    # WeChat Pay API v3 (direct merchant). Mode "public_key" (微信支付公钥: WECHATPAY_PUBLIC_KEY_ID +
    # WECHATPAY_PUBLIC_KEY_PATH) or "platform_cert" (platform certificates downloaded into and read from
    # WECHATPAY_PLATFORM_CERT_DIR). Not configured while WECHATPAY_MCHID is empty.
    wechatpay_mchid: str = ""
    wechatpay_appid: str = ""
    wechatpay_api_v3_key: str = ""
    wechatpay_private_key_path: str = ""  # the merchant API key (apiclient_key.pem)
    wechatpay_cert_serial: str = ""  # serial of the merchant API certificate
    wechatpay_mode: str = "public_key"
    wechatpay_public_key_id: str = ""  # PUB_KEY_ID_...
    wechatpay_public_key_path: str = ""
    wechatpay_platform_cert_dir: str = ""
    wechatpay_api_base: str = "https://api.mch.weixin.qq.com"
    wechatpay_notify_base: str = ""  # public base URL WeChat Pay posts notifications to; empty: PUBLIC_URL

    # Alipay open platform (RSA2): PEM files of our app's private key and Alipay's public key.
    alipay_app_id: str = ""
    alipay_private_key_path: str = ""
    alipay_public_key_path: str = ""
    alipay_seller_id: str = ""  # the merchant's PID (2088...), checked against notifications
    alipay_gateway: str = "https://openapi.alipay.com/gateway.do"

    # UnionPay online gateway 5.1.0: our signing PKCS#12 and the UnionPay root and intermediate
    # certificates that the signing certificate in each answer must chain to.
    unionpay_mer_id: str = ""
    unionpay_sign_cert_path: str = ""
    unionpay_sign_cert_password: str = ""
    unionpay_root_cert_path: str = ""
    unionpay_middle_cert_path: str = ""
    unionpay_front_url: str = "https://gateway.95516.com/gateway/api/frontTransReq.do"
    unionpay_back_url: str = "https://gateway.95516.com/gateway/api/backTransReq.do"
    unionpay_query_url: str = "https://gateway.95516.com/gateway/api/queryTrans.do"
    unionpay_file_url: str = "https://filedownload.95516.com/"

    # Settlement: statements cover a week (Monday..Sunday) or a calendar month in REGION_TIMEZONE and
    # are built SETTLEMENT_HOUR (local) after the period closes; orders matching no commission rule
    # keep COMMISSION_DEFAULT_BP basis points for the platform.
    settlement_period: Literal["week", "month"] = "week"
    settlement_hour: int = Field(3, ge=0, le=23)
    commission_default_bp: int = Field(2000, ge=0, le=10_000)

    # Support tickets: SLA per step from the ticket's opening (assigned, first response = work started,
    # resolved; a reopened ticket gets SUPPORT_REOPEN_RESOLVE_HOURS from the reopening), and how long a
    # resolved ticket waits for the customer's confirmation before it closes by itself.
    support_sla_assign_minutes: int = Field(60, ge=1)
    support_sla_response_minutes: int = Field(120, ge=1)
    support_sla_resolve_hours: int = Field(48, ge=1)
    support_reopen_resolve_hours: int = Field(24, ge=1)
    support_auto_close_days: int = Field(7, ge=1)

    # Automatic coupons (customers.welcome, a job every 5 minutes): a new customer's welcome coupon
    # (SIGNUP_COUPON_FEN off, no minimum; 0 turns it off; customers who signed up in the last 7 days
    # and hold no sign-up coupon), and the referrer's reward once a customer they referred has a paid,
    # uncancelled order (REFERRAL_COUPON_FEN off from REFERRAL_COUPON_MIN_SPEND; 0 turns it off).
    signup_coupon_fen: int = Field(2000, ge=0, le=100_000)
    signup_coupon_days: int = Field(30, ge=1, le=3650)
    referral_coupon_fen: int = Field(2500, ge=0, le=100_000)
    referral_coupon_min_spend: int = Field(10_000, ge=0)
    referral_coupon_days: int = Field(90, ge=1, le=3650)

    run_jobs_in_process: bool = True

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"

    @property
    def wal_archive_path(self) -> Path:
        return Path(self.wal_archive_dir) if self.wal_archive_dir else self.data_dir / "wal-archive"

    @property
    def base_backup_dir(self) -> Path:
        return self.data_dir / "basebackups"

    @property
    def is_development(self) -> bool:
        return self.env in DEVELOPMENT_ENVS

    @property
    def previous_secret_keys(self) -> list[str]:
        return [k.strip() for k in self.secret_keys_previous.split(",") if k.strip()]


class UnsafeSettings(RuntimeError):
    """Raised at start-up when a non-development environment runs with a development default."""


class InsecureSecret(UnsafeSettings):
    """Raised at start-up when a non-development environment has no strong SECRET_KEY."""


def load_or_create_secret(data_dir: Path) -> str:
    """The per-install development secret: created once (mode 0600) in data_dir, read afterwards.
    O_EXCL makes concurrent first starts (several uvicorn workers) agree on one secret."""
    path = Path(data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it right now
            value = path.read_text().strip()
            if value:
                return value
            time.sleep(0.02)
        raise InsecureSecret(f"{path} is empty: delete it to generate a new secret") from None
    value = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value


def check_secrets(settings: "Settings") -> None:
    """Refuse to run outside development with the old default, a missing or a short secret."""
    if settings.is_development:
        return
    keys = [("SECRET_KEY", settings.secret_key)] + [("SECRET_KEYS_PREVIOUS", k) for k in settings.previous_secret_keys]
    for name, key in keys:
        if not key:
            raise InsecureSecret(f"{name} is not set: ANJIA_ENV={settings.env} needs a secret of at least "
                                 f"{MIN_SECRET_BYTES} bytes (e.g. `python -c 'import secrets; "
                                 f"print(secrets.token_urlsafe(48))'`)")
        if key == LEGACY_DEFAULT_SECRET:
            raise InsecureSecret(f"{name} is the public default from config.py: set your own secret "
                                 f"for ANJIA_ENV={settings.env}")
        if len(key.encode()) < MIN_SECRET_BYTES:
            raise InsecureSecret(f"{name} is too short ({len(key.encode())} bytes): ANJIA_ENV={settings.env} "
                                 f"needs at least {MIN_SECRET_BYTES} bytes")


# What only development may run on: each would take money or codes nowhere in production.
DEVELOPMENT_ONLY = {
    "PAYMENT_PROVIDERS": lambda s: "sandbox" in {p.strip() for p in s.payment_providers.split(",")} and
    "sandbox payments complete without money",
    "SMS_PROVIDER": lambda s: s.sms_provider == "console" and "console SMS only writes codes to a log file",
}


def check_settings(settings: "Settings") -> None:
    """Refuse to run outside development with a weak secret or a development-only provider."""
    check_secrets(settings)
    if settings.is_development:
        return
    for name, unsafe in DEVELOPMENT_ONLY.items():
        if reason := unsafe(settings):
            raise UnsafeSettings(f"{name}: {reason} — choose a real provider for ANJIA_ENV={settings.env}")


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if not settings.secret_key and settings.is_development:
        settings.secret_key = load_or_create_secret(settings.data_dir)
    return settings
