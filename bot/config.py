"""Settings from the environment and ``.env`` (pydantic-settings), validated at start-up."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = "sqlite+aiosqlite:///./data/villagebot.db"


class Settings(BaseSettings):
    """Every setting the bot reads; ``.env.example`` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    # more Telegram bots: comma-separated tokens after the first (each serves its own groups)
    telegram_bot_tokens: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_secret: SecretStr | None = None
    # webhook secrets of the bots in TELEGRAM_BOT_TOKENS, in the same order (comma-separated)
    telegram_webhook_secrets: SecretStr | None = None

    zalo_bot_token: SecretStr | None = None
    # more Zalo bots (a Basic-plan bot serves 3 groups): comma-separated tokens after the first
    zalo_bot_tokens: SecretStr | None = None
    # the current official docs' host; python-zalo-bot 0.1.9's default is bot-api.zapps.me
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_mode: Literal["polling", "webhook"] = "polling"
    zalo_webhook_secret: SecretStr | None = None
    # webhook secrets of the bots in ZALO_BOT_TOKENS, in the same order (comma-separated)
    zalo_webhook_secrets: SecretStr | None = None
    zalo_bot_name: str | None = None
    # names of the bots in ZALO_BOT_TOKENS, in the same order (comma-separated, optional)
    zalo_bot_names: str = ""

    database_url: str = DEFAULT_DB
    villagebot_admins: str = ""
    public_base_url: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: Literal["vi", "en"] = "vi"

    web_host: str = "127.0.0.1"
    web_port: int = Field(8080, ge=0, le=65535)
    web_chat: Literal["auto", "on", "off"] = "auto"
    web_chat_allow_remote: bool = False
    # the simulator's own database: its demo village, people and roles never mix with real ones
    web_chat_database_url: str = "sqlite+aiosqlite:///./data/webchat-demo.db"
    # the secret in the simulator's start link (random per process when unset)
    web_chat_token: SecretStr | None = None
    media_dir: Path = Path("./data/media")
    max_photo_bytes: int = Field(10 * 1024 * 1024, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["console", "json"] = "console"
    metrics_token: SecretStr | None = None
    poll_timeout: int = Field(30, ge=1, le=120)
    demo_data: bool = True

    @field_validator("telegram_api_base_url", "zalo_api_base_url", "public_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone (example: Asia/Ho_Chi_Minh)") from exc
        return value

    @field_validator("villagebot_admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        for item in filter(None, (p.strip() for p in value.split(","))):
            platform, _, ident = item.partition(":")
            if platform not in ("telegram", "zalo", "web") or not ident:
                raise ValueError(f"'{item}' is not platform:id (telegram:123, zalo:abc)")
        return value

    @field_validator("telegram_webhook_secret", "zalo_webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError("must be 8 to 256 characters")
        return value

    @field_validator("database_url", "web_chat_database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        if value.startswith("postgresql://"):
            value = "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if value.startswith("sqlite:///"):
            value = "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://...")
        return value

    @property
    def telegram_tokens(self) -> list[SecretStr]:
        """Every Telegram bot's token: ``TELEGRAM_BOT_TOKEN`` first, then the list."""
        return _secret_list(self.telegram_bot_token, self.telegram_bot_tokens, dedupe=True)

    @property
    def telegram_secrets(self) -> list[SecretStr]:
        """Webhook secrets in the tokens' order: ``TELEGRAM_WEBHOOK_SECRET``, then the list."""
        return _secret_list(self.telegram_webhook_secret, self.telegram_webhook_secrets)

    @property
    def telegram_enabled(self) -> bool:
        """At least one Telegram bot token is set."""
        return bool(self.telegram_tokens)

    @property
    def zalo_tokens(self) -> list[SecretStr]:
        """Every Zalo bot's token: ``ZALO_BOT_TOKEN`` first, then ``ZALO_BOT_TOKENS``."""
        return _secret_list(self.zalo_bot_token, self.zalo_bot_tokens, dedupe=True)

    @property
    def zalo_secrets(self) -> list[SecretStr]:
        """Webhook secrets in the tokens' order: ``ZALO_WEBHOOK_SECRET``, then the list."""
        return _secret_list(self.zalo_webhook_secret, self.zalo_webhook_secrets)

    @property
    def zalo_names(self) -> list[str | None]:
        """Bot names in the tokens' order (None where not given: getMe's name is used)."""
        extra = [n.strip() or None for n in self.zalo_bot_names.split(",")] if (
            self.zalo_bot_names.strip()) else []
        first: list[str | None] = [self.zalo_bot_name] if self.zalo_bot_token else []
        names = first + extra
        return names + [None] * (len(self.zalo_tokens) - len(names))

    @property
    def zalo_enabled(self) -> bool:
        """At least one Zalo bot token is set."""
        return bool(self.zalo_tokens)

    @property
    def admins(self) -> frozenset[tuple[str, str]]:
        """Bootstrap admins as (platform, id) pairs."""
        pairs = (p.strip().partition(":") for p in self.villagebot_admins.split(","))
        return frozenset((p, i) for p, _, i in pairs if p and i)

    @property
    def web_chat_beside_platforms(self) -> bool:
        """The simulator runs next to Telegram or Zalo (then on its own bot and database)."""
        return self.web_chat_enabled and (
            self.telegram_enabled or self.zalo_enabled)

    @property
    def tz(self) -> ZoneInfo:
        """The display time zone."""
        return ZoneInfo(self.timezone)

    @property
    def web_chat_enabled(self) -> bool:
        """The local web chat runs when asked, or by default when no platform token is set."""
        if self.web_chat == "auto":
            return not self.telegram_enabled and not self.zalo_enabled
        return self.web_chat == "on"

    def web_host_is_loopback(self) -> bool:
        """True when the web server only listens on this machine."""
        if self.web_host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.web_host).is_loopback
        except ValueError:
            return False


def _secret_list(first: SecretStr | None, rest: SecretStr | None, *,
                 dedupe: bool = False) -> list[SecretStr]:
    """``first`` then the comma-separated items of ``rest`` (blank items dropped)."""
    values = [first.get_secret_value()] if first is not None else []
    if rest is not None:
        values += [v.strip() for v in rest.get_secret_value().split(",") if v.strip()]
    if dedupe:
        values = list(dict.fromkeys(values))
    return [SecretStr(v) for v in values]


class ConfigError(Exception):
    """A bad setting; ``variable`` names the environment variable, ``reason`` what is wrong."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable
        self.reason = reason


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise :class:`ConfigError` naming the first bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        variable = str(err["loc"][0]).upper() if err["loc"] else "?"
        reason = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(variable, reason) from None
    if settings.web_chat_enabled and not settings.web_host_is_loopback() and not (
        settings.web_chat_allow_remote
    ):
        raise ConfigError("WEB_HOST", "the web chat trusts everyone: listen on 127.0.0.1, "
                          "or set WEB_CHAT_ALLOW_REMOTE=true")
    _check_bots(settings.zalo_tokens, settings.zalo_secrets, settings.zalo_mode, "ZALO")
    _check_bots(settings.telegram_tokens, settings.telegram_secrets, settings.telegram_mode,
                "TELEGRAM")
    if settings.web_chat_beside_platforms and (
        settings.web_chat_database_url == settings.database_url
    ):
        raise ConfigError("WEB_CHAT_DATABASE_URL", "the simulator needs its own database, "
                          "apart from DATABASE_URL")
    return settings


def _check_bots(tokens: list[SecretStr], secrets: list[SecretStr], mode: str,
                prefix: str) -> None:
    """Several bots: one webhook secret per token in webhook mode, each 8-256 chars."""
    for secret in secrets:
        if not 8 <= len(secret.get_secret_value()) <= 256:
            raise ConfigError(f"{prefix}_WEBHOOK_SECRETS",
                              "each secret must be 8 to 256 characters")
    if mode == "webhook" and tokens and len(secrets) != len(tokens):
        variable = f"{prefix}_WEBHOOK_SECRET" + ("S" if len(tokens) > 1 else "")
        raise ConfigError(variable, f"webhook mode needs one secret per bot ({len(tokens)} "
                          f"tokens, {len(secrets)} secrets), in the tokens' order")
