"""The web service's settings: built by the caller and passed to create_app, never read at import."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from plgkg.service import ServiceSettings

ENVIRONMENT_VARIABLE = "PLGKG_SETTINGS"


@dataclass(frozen=True)
class Settings:
    service: ServiceSettings = field(default_factory=ServiceSettings)
    cors_origins: tuple[str, ...] = ("*",)

    def to_json(self) -> str:
        return json.dumps({"service": self.service.to_dict(), "cors_origins": list(self.cors_origins)})

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data = json.loads(text)
        return cls(
            service=ServiceSettings.from_dict(data.get("service", {})),
            cors_origins=tuple(data.get("cors_origins", ("*",))),
        )

    @classmethod
    def from_environment(cls) -> Settings:
        """Settings handed over by `plgkg serve` to the uvicorn process (read when called)."""
        text = os.environ.get(ENVIRONMENT_VARIABLE)
        return cls.from_json(text) if text else cls()
