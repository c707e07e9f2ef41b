"""Typed settings, read once from `TANGGAP_*` environment variables.

Nothing else in the code base reads the environment. Secrets are
`SecretStr`, so they never appear in a repr or a log line.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of Tanggap. The README's settings table lists them all."""

    model_config = SettingsConfigDict(env_prefix="TANGGAP_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="Deployment kind; production hides GraphiQL and masks errors strictly."
    )
    var_dir: Path = Field(Path("var"), description="Folder for the embedded servers' data and the outbox.")

    mongodb_uri: str | None = Field(
        None, description="MongoDB URI; empty starts the embedded SecantusDB server under var/."
    )
    mongodb_database: str = Field("tanggap", description="Database name.")
    embedded_mongodb_port: int = Field(27117, description="Port of the embedded SecantusDB server.")

    broker_url: str | None = Field(
        None,
        description="amqp://… for RabbitMQ or redis://… for Redis; empty starts an embedded Redis under var/.",
    )
    embedded_redis_port: int = Field(6390, description="Port of the embedded Redis server.")
    rate_limit_redis_url: str | None = Field(
        None, description="Redis for the notifier's rate limiters; empty uses the broker's Redis or the embedded one."
    )

    gateway_host: str = Field("127.0.0.1", description="Address the gateway listens on.")
    gateway_port: int = Field(8000, description="Port the gateway listens on.")
    graphiql: bool = Field(True, description="Serve GraphiQL at /graphql in a browser.")
    introspection: bool = Field(True, description="Allow schema introspection queries.")
    max_query_depth: int = Field(10, description="Deepest allowed GraphQL selection.")
    max_query_cost: int = Field(5000, description="Highest allowed estimated cost of one GraphQL request.")
    max_query_aliases: int = Field(30, description="Most field aliases one GraphQL request may use.")
    max_query_tokens: int = Field(4000, description="Most lexical tokens one GraphQL document may have.")
    field_suggestions: bool = Field(True, description="Suggest similar field names in validation errors.")
    subscription_recheck_seconds: float = Field(
        30.0, description="Seconds an idle complaint subscription waits before reading the complaint to catch missed changes."
    )
    max_page_size: int = Field(100, description="Largest `first` accepted by connections.")
    default_page_size: int = Field(20, description="Page size when `first` is not given.")

    jwt_secret: SecretStr = Field(
        SecretStr("tanggap-development-secret-change-me"),
        description="HMAC secret for HS256 tokens; set a long random value in production.",
    )
    jwt_public_key: SecretStr | None = Field(
        None, description="PEM public key; when set, tokens are verified with jwt_algorithm (e.g. RS256)."
    )
    jwt_algorithm: str = Field("HS256", description="JWT signing algorithm.")
    jwt_issuer: str = Field("tanggap", description="Expected `iss` claim.")
    jwt_ttl_hours: int = Field(12, ge=1, description="Lifetime of tokens made by `tanggap token`, in hours (at least 1).")

    timezone: str = Field("Asia/Makassar", description="Default timezone of agencies and calendars.")
    ticket_prefix: str = Field("MKS", description="Prefix of ticket numbers, e.g. MKS-2026-000123.")
    auto_close_working_days: int = Field(
        5, description="Working days after which a resolved complaint is closed by the system."
    )

    watch_interval: float = Field(15.0, description="Seconds between SLA watcher scans.")
    watch_batch_size: int = Field(500, description="Most complaints one scan handles.")
    notification_resend_after: float = Field(
        300.0, description="Seconds after which a pending notification is handed to the broker again."
    )
    notification_max_retries: int = Field(
        8, ge=0, description="Retries of a notification after transient failures before it is dead-lettered."
    )
    notification_min_backoff_ms: int = Field(
        15_000, ge=1, description="Milliseconds before the first retry; each later retry waits about twice as long."
    )
    notification_max_backoff_ms: int = Field(
        3_600_000, ge=1, description="Longest wait between two retries of a notification, in milliseconds."
    )
    notification_claim_lease: float = Field(
        120.0,
        gt=0,
        description="Seconds a worker holds a notification while sending it; after that another worker may take it over.",
    )
    watcher_metrics_host: str = Field("127.0.0.1", description="Address the SLA watcher's Prometheus endpoint listens on.")
    watcher_metrics_port: int = Field(
        9102, description="Port of the SLA watcher's Prometheus endpoint; 0 turns the endpoint off."
    )
    test_frozen_now: datetime | None = Field(
        None,
        description=(
            "For tests only: freeze the services' clock at this instant (ISO 8601 with offset), "
            "so a service run as a subprocess sees the test's time. Rejected in production."
        ),
    )

    quiet_hours_start: time = Field(time(21, 0), description="Local time from which citizens' messages are held.")
    quiet_hours_end: time = Field(time(6, 0), description="Local time at which held citizens' messages go out.")

    mail_from: str = Field("Tanggap Kota Makassar <noreply@tanggap.example>", description="From header of e-mail.")
    smtp_host: str = Field("127.0.0.1", description="SMTP server host.")
    smtp_port: int = Field(8025, description="SMTP server port.")
    smtp_username: str | None = Field(None, description="SMTP login user; empty sends without login.")
    smtp_password: SecretStr | None = Field(None, description="SMTP login password.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_ca_file: Path | None = Field(
        None, description="PEM bundle of the CAs that sign the SMTP server's certificate; empty uses the system's."
    )
    smtp_timeout: float = Field(10.0, description="Seconds before an SMTP operation times out.")
    smtp_rate_limit: int = Field(50, description="Most e-mails per second across all workers.")

    sms_provider: Literal["outbox", "http", "twilio"] = Field("outbox", description="Primary SMS provider.")
    sms_fallback_provider: Literal["outbox", "http", "twilio"] | None = Field(
        None, description="SMS provider tried when the primary one fails."
    )
    sms_max_segments: int = Field(3, description="Most SMS segments one message may use.")
    sms_rate_limit: int = Field(20, description="Most SMS per second per provider across all workers.")
    sms_http_url: str | None = Field(None, description="URL of the generic HTTP SMS gateway.")
    sms_http_method: Literal["POST", "GET"] = Field("POST", description="HTTP method of the SMS gateway.")
    sms_http_auth_header: str = Field("Authorization", description="Header that carries the gateway credential.")
    sms_http_auth_value: SecretStr | None = Field(None, description="Credential sent in the auth header.")
    sms_http_to_field: str = Field("to", description="Request field for the E.164 number.")
    sms_http_text_field: str = Field("text", description="Request field for the message text.")
    sms_http_sender_field: str = Field("sender", description="Request field for the sender id.")
    sms_http_sender: str = Field("TANGGAP", description="Sender id sent to the gateway.")
    sms_http_id_field: str = Field(
        "message_id", description="Response field that holds the provider's message id; dots name nested fields."
    )
    sms_http_body_format: Literal["json", "form"] = Field(
        "json", description="How a POST to the SMS gateway carries its fields: a JSON object or a form."
    )
    sms_http_reference_field: str | None = Field(
        None, description="Request field for the notification id, for gateways that echo a client reference."
    )
    sms_http_timeout: float = Field(10.0, description="Seconds before a gateway request times out.")
    twilio_base_url: str = Field("https://api.twilio.com", description="Base URL of the Twilio-style API.")
    twilio_account_sid: str | None = Field(None, description="Twilio-style account id.")
    twilio_auth_token: SecretStr | None = Field(None, description="Twilio-style auth token, also signs callbacks.")
    twilio_from_number: str | None = Field(None, description="Sender number for the Twilio-style API.")
    twilio_status_callback_url: str | None = Field(
        None, description="Public URL of the gateway's delivery-status callback."
    )

    log_level: str = Field("INFO", description="Log level of all services.")
    log_format: Literal["json", "text"] = Field("json", description="Log line format.")

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}; use an IANA name such as Asia/Makassar") from exc
        return value

    @field_validator("test_frozen_now")
    @classmethod
    def _check_frozen_now(cls, value: datetime | None) -> datetime | None:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValueError(f"test_frozen_now {value.isoformat()} has no UTC offset; give one, e.g. {value.isoformat()}+08:00")
        return value

    @model_validator(mode="after")
    def _reject_frozen_clock_in_production(self) -> Settings:
        if self.environment == "production" and self.test_frozen_now is not None:
            raise ValueError("test_frozen_now is set in production; unset TANGGAP_TEST_FROZEN_NOW, it is for tests only")
        return self

    @property
    def outbox_dir(self) -> Path:
        return self.var_dir / "outbox"

    @property
    def embedded_mongodb_uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.embedded_mongodb_port}/?directConnection=true&retryWrites=false"

    @property
    def effective_mongodb_uri(self) -> str:
        return self.mongodb_uri or self.embedded_mongodb_uri

    @property
    def effective_broker_url(self) -> str:
        return self.broker_url or f"redis://127.0.0.1:{self.embedded_redis_port}/0"

    @property
    def effective_rate_limit_redis_url(self) -> str:
        if self.rate_limit_redis_url:
            return self.rate_limit_redis_url
        if self.effective_broker_url.startswith("redis"):
            return self.effective_broker_url
        return "redis://127.0.0.1:6379/0"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment once."""
    return Settings()
