"""Settings from the environment and `.env` (prefix-free names, e.g. DATABASE_URL)."""
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    env: str = "development"
    # External PostgreSQL; when empty the embedded server in `data_dir/pg` is used.
    database_url: str = ""
    data_dir: Path = Path("var")
    web_dir: Path = Path("web")
    secret_key: str = "dev-secret-change-me-in-production-0123456789"
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 32 * 1_048_576
    region_timezone: str = "Asia/Shanghai"
    privacy_policy_version: str = "2026-11"

    # SMS: "console" writes codes to the log and var/sms-outbox.jsonl.
    sms_provider: str = "console"
    sms_code_ttl_seconds: int = 300
    sms_resend_seconds: int = 60
    sms_daily_limit: int = 10
    sms_ip_hourly_limit: int = 30
    sms_max_attempts: int = 5

    # Mail: "console" or "smtp".
    mail_provider: str = "console"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "安家 <no-reply@anjia.local>"
    public_url: str = "http://127.0.0.1:8000"

    # WeChat mini program (code2session).
    wechat_appid: str = ""
    wechat_secret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_order_template_id: str = ""  # subscribe message template for order progress

    run_jobs_in_process: bool = True

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"


@lru_cache
def get_settings() -> Settings:
    return Settings()
