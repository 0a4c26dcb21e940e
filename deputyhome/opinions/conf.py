"""Settings of the opinions app, read at call time so tests can override them.

| setting | default | meaning |
| --- | --- | --- |
| PUBLIC_BASE_URL | "" | absolute base of public links in QR codes, e.g. "https://dbzj.enshi.gov.cn"; empty: the request's host |
| OPINIONS_PER_ADDRESS_PER_HOUR | 5 | opinions accepted from one client address in one clock hour |
| OPINIONS_PER_STATION_PER_DAY | 100 | opinions accepted for one station (or a deputy without one) in one day |
| OPINIONS_LOOKUPS_PER_ADDRESS_PER_HOUR | 30 | tracking-code look-ups from one client address in one clock hour |
| OPINIONS_PHOTO_MAX_BYTES | 5 MB | largest photo a citizen may attach |
| OPINIONS_PHOTO_MAX_PIXELS | 40 million | largest photo by pixels (a small file can unpack to a huge image) |
| OPINIONS_CLIENT_ADDRESS_HEADER | "" | a META key set by a trusted proxy (e.g. "HTTP_X_REAL_IP"); empty: REMOTE_ADDR |
| RECEPTION_NOTICE_DAYS | 2 | a one-off reception is announced at least this many days before; 0 turns the check off |
| PAIRING_HOUSEHOLDS_MIN | 10 | the households each deputy in a group keeps paired with at least (结对联系群众); config.settings reads it from the environment |
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, object] = {
    "PUBLIC_BASE_URL": "",
    "OPINIONS_PER_ADDRESS_PER_HOUR": 5,
    "OPINIONS_PER_STATION_PER_DAY": 100,
    "OPINIONS_LOOKUPS_PER_ADDRESS_PER_HOUR": 30,
    "OPINIONS_PHOTO_MAX_BYTES": 5 * 1024 * 1024,
    "OPINIONS_PHOTO_MAX_PIXELS": 40_000_000,
    "OPINIONS_CLIENT_ADDRESS_HEADER": "",
    "RECEPTION_NOTICE_DAYS": 2,
    "PAIRING_HOUSEHOLDS_MIN": 10,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
