"""The web service's settings: built by the caller and passed to create_app, never read at import."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from plgkg.settings import ServiceSettings

ENVIRONMENT_VARIABLE = "PLGKG_SETTINGS"


@dataclass(frozen=True)
class Settings:
    service: ServiceSettings = field(default_factory=ServiceSettings)
    cors_origins: tuple[str, ...] = ("*",)
    # where clients reach the service: the base of the URLs the service publishes about itself (VoID),
    # never taken from a request's Host header, which the client chooses
    public_url: str = "http://127.0.0.1:8000"

    def to_json(self) -> str:
        return json.dumps(
            {
                "service": self.service.to_dict(),
                "cors_origins": list(self.cors_origins),
                "public_url": self.public_url,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data = json.loads(text)
        return cls(
            service=ServiceSettings.from_dict(data.get("service", {})),
            cors_origins=tuple(data.get("cors_origins", ("*",))),
            public_url=str(data.get("public_url", cls.public_url)).rstrip("/"),
        )

    @classmethod
    def from_environment(cls) -> Settings:
        """Settings handed over by `plgkg serve` to the uvicorn process (read when called)."""
        text = os.environ.get(ENVIRONMENT_VARIABLE)
        return cls.from_json(text) if text else cls()
