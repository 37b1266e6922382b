"""Who may show the dashboard inside a frame: the one allow-list nginx and ``serve.py`` both send.

A page that any site can frame can be dressed up as someone else's (clickjacking, or a court
figure shown under a misleading headline). So every answer says which pages may frame it:
``Content-Security-Policy: frame-ancestors 'self' …`` for today's browsers, and
``X-Frame-Options: SAMEORIGIN`` for those that know only that header (a browser that reads
``frame-ancestors`` ignores ``X-Frame-Options``, so the origins added here still work there).

The site itself (``'self'``) may always frame it; other origins are added with the environment
variable :data:`ENV` (``GEO_FRAME_ANCESTORS="https://news.example https://*.partner.example"``,
read by ``serve.py`` and by ``python -m geo serve-config``) or serve-config's ``--frame-ancestors``.
Each must be a plain origin: ``https://`` (or ``http://``), a host name, or ``*.`` and a domain,
and an optional port; anything else is refused, since the value is written into nginx's
configuration and into a header.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

#: The environment variable that lists the origins (besides the site itself) allowed to frame the dashboard.
ENV = "GEO_FRAME_ANCESTORS"
SELF = "'self'"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ORIGIN = re.compile(rf"(?:https?)://(?:\*\.)?(?:{_LABEL}\.)*{_LABEL}(?::[0-9]{{1,5}})?")


def parse(text: str | None) -> tuple[str, ...]:
    """The origins of ``text`` (separated by spaces or commas; ``'self'`` may be written too), the
    site itself first; ``ValueError`` for anything that is not a plain origin."""
    origins = [SELF]
    for item in re.split(r"[\s,]+", (text or "").strip()):
        if not item or item == SELF:
            continue
        origin = item.lower().rstrip("/")
        if not _ORIGIN.fullmatch(origin) or not _port_in_range(origin):
            raise ValueError(f"not an origin that may frame the dashboard: {item!r} (e.g. https://news.example)")
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def _port_in_range(origin: str) -> bool:
    port = re.search(r":([0-9]+)$", origin)
    return port is None or int(port[1]) <= 65535


def from_environment(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The allow-list :data:`ENV` states (the site itself alone when it is unset)."""
    return parse((os.environ if environ is None else environ).get(ENV))


def extra_origins(allowed: Sequence[str]) -> str:
    """The allow-list as :data:`ENV` holds it: the origins other than the site itself."""
    return " ".join(o for o in allowed if o != SELF)


def content_security_policy(allowed: Sequence[str]) -> str:
    return f"frame-ancestors {' '.join(allowed)}"


#: Only the site itself: the other origins are for browsers that read frame-ancestors (see above).
X_FRAME_OPTIONS = "SAMEORIGIN"


def headers(allowed: Sequence[str]) -> list[tuple[str, str]]:
    """The response headers that state the policy, as (name, value)."""
    return [("Content-Security-Policy", content_security_policy(allowed)), ("X-Frame-Options", X_FRAME_OPTIONS)]
