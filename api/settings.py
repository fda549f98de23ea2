"""The web service's settings: built by the caller (plgkg serve, a test) and passed to create_app,
never read at import."""

from __future__ import annotations

from dataclasses import dataclass, field

from plgkg.settings import HOST, PORT, ServiceSettings


@dataclass(frozen=True)
class Settings:
    service: ServiceSettings = field(default_factory=ServiceSettings)
    cors_origins: tuple[str, ...] = ("*",)
    # where clients reach the service: the base of the URLs the service publishes about itself (VoID),
    # never taken from a request's Host header, which the client chooses
    public_url: str = f"http://{HOST}:{PORT}"
    # build the search index and the school list in the background as the service starts, so the
    # first visitor does not wait for them (plgkg serve does; tests build them when they ask)
    warm: bool = False
