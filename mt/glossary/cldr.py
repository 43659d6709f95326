"""Established names of countries, world regions and cities from Unicode CLDR (through babel).

CLDR has territory names (countries, world regions such as Europe and Asia, the EU and the
UN) and exemplar city names of its time zones (Берлин, Мәскеу, Орал / Уральск) in Kazakh,
English, German and Russian. They give `mt glossary suggest` and the built-in exonyms
their en/de/ru forms instead of a transliteration (Таиланд is Thailand, not "Tailand").
What CLDR lacks or writes differently from press usage (acronyms, UN bodies, CIS/EAEU/SCO,
Kazakh cities whose Russian name differs, spelling variants like Тайланд) is the curated
table exonyms.tsv beside this module, which wins over CLDR.

CLDR data: Copyright © 1991-2025 Unicode, Inc., Unicode License v3 (shipped by babel).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mt.memo import disk_memo
from mt.types import GlossaryEntry

LANGS = ("en", "de", "ru")
# Territory codes that are no place a release names: unknown, pseudo and grouping codes.
_SKIP = frozenset({"ZZ", "QO", "EZ", "XA", "XB", "XK", "001", "003", "009", "053", "054", "057",
                   "061", "202", "419"})
_ORGS = frozenset({"EU", "UN"})


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


@disk_memo("babel")
def territories() -> dict[str, GlossaryEntry]:
    """Kazakh CLDR territory name -> entry with the en/de/ru names (countries, regions, EU, UN)."""
    from babel import Locale

    kk, *targets = (Locale.parse(code) for code in ("kk", *LANGS))
    out: dict[str, GlossaryEntry] = {}
    for code, name in kk.territories.items():
        if code in _SKIP or not name:
            continue
        forms = [locale.territories.get(code, "") for locale in targets]
        if not all(forms):
            continue
        type_ = "org" if code in _ORGS else "place"
        out.setdefault(name, GlossaryEntry(id=f"{type_}.{_slug(forms[0])}", type=type_, kk=name,
                                           en=forms[0], de=forms[1], ru=forms[2],
                                           note=f"CLDR territory {code}"))
    return out


@disk_memo("babel", "tzdata", "pytz")  # the zones babel's time-zone database knows
def cities() -> dict[str, GlossaryEntry]:
    """Kazakh CLDR exemplar city name -> entry (time-zone cities: capitals and large cities)."""
    from babel import Locale
    from babel.core import get_global
    from babel.dates import get_timezone_location

    kk = Locale.parse("kk")
    # Kazakh cities: CLDR falls back to the zone id's spelling (Aqtobe, Qyzylorda), not
    # the press's (Aktobe, Kyzylorda); they are glossary and exonyms.tsv rows instead.
    home = frozenset(get_global("territory_zones").get("KZ", ()))
    out: dict[str, GlossaryEntry] = {}
    for zone in kk.time_zones:
        assert isinstance(zone, str)  # IANA zone ids (babel types its data keys loosely)
        city = kk.time_zones[zone].get("city")
        if not city or "/" not in zone or zone.startswith("Etc/") or zone in home:
            continue
        try:
            forms = [get_timezone_location(zone, locale=lang, return_city=True) for lang in LANGS]
        except LookupError:  # a zone babel's tz database does not know
            continue
        out.setdefault(city, GlossaryEntry(id=f"place.{_slug(forms[0])}", type="place", kk=city,
                                           en=forms[0], de=forms[1], ru=forms[2],
                                           note=f"CLDR exemplar city of {zone}"))
    return out


def names() -> dict[str, GlossaryEntry]:
    """Every CLDR name, territories over cities where both have one (Сингапур)."""
    return {**cities(), **territories()}


@lru_cache(maxsize=1)
def _zone_territories() -> dict[str, str]:
    from babel.core import get_global

    return {str(k): str(v) for k, v in get_global("zone_territories").items()}


def zone_territory(zone: str) -> str:
    """The ISO country of a time zone (Europe/Berlin: DE), "" if CLDR has none."""
    return _zone_territories().get(zone, "")
