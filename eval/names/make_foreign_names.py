"""Writes mt/data/foreign-names.tsv from Faker's person-name lists (MIT licence; see
foreign-names.SOURCE.md). Run once with Faker installed (not a dependency of mt):

    python -m venv /tmp/f && /tmp/f/bin/pip install faker==40.54.0
    /tmp/f/bin/python eval/names/make_foreign_names.py > mt/data/foreign-names.tsv
"""

import importlib
import re
import sys

import faker  # the generator's only user; not a dependency of mt

# ISO country -> Faker locales: the partner countries whose persons' names are written in a
# Latin script of their own (East Asian names are read back by mt.glossary.eastasian).
COUNTRIES = {
    "DE": ["de_DE", "de_AT"], "AT": ["de_AT"], "CH": ["de_CH", "fr_CH"], "NL": ["nl_NL"], "BE": ["nl_BE", "fr_BE"],
    "NO": ["no_NO"], "SE": ["sv_SE"], "DK": ["da_DK"], "FI": ["fi_FI"], "IS": ["is_IS"],
    "PL": ["pl_PL"], "CZ": ["cs_CZ"], "SK": ["sk_SK"], "HU": ["hu_HU"], "RO": ["ro_RO"], "HR": ["hr_HR"],
    "SI": ["sl_SI"], "LT": ["lt_LT"], "LV": ["lv_LV"], "EE": ["et_EE"],
    "FR": ["fr_FR"], "IT": ["it_IT"], "ES": ["es_ES"], "PT": ["pt_PT"], "GB": ["en_GB"], "US": ["en_US"],
    "IE": ["en_IE"], "TR": ["tr_TR"], "AZ": ["az_AZ"], "UZ": ["uz_UZ"], "VN": ["vi_VN"], "ID": ["id_ID"],
}
LATIN = re.compile(r"[A-Za-zÀ-ÿĀ-žƀ-ɏȘ-țḀ-ỿ' \-]+")
FIRST = ("first_names", "first_names_female", "first_names_male", "first_names_unisex", "middle_names")
LAST = ("last_names", "male_last_names", "female_last_names", "unisex_last_names")


def names(locale: str, attrs: tuple[str, ...]) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    out: set[str] = set()
    for attr in attrs:
        value = getattr(provider, attr, ())
        out |= {n for n in value if isinstance(n, str) and LATIN.fullmatch(n)}
    if locale in ("pl_PL", "cs_CZ", "sk_SK") and attrs == LAST:
        # Faker derives the feminine surname at run time: Kowalski -> Kowalska, Nowy -> Nowa
        out |= {re.sub("(ski|cki|dzki)$", lambda m: m.group(1)[:-1] + "a", n) for n in out
                if re.search("(ski|cki|dzki)$", n)}
    return out


def main() -> None:
    print(f"# foreign-names.tsv: given and family names per country, from Faker {faker.VERSION} (MIT);")
    print("# see foreign-names.SOURCE.md. name\tkind (given|family)\tcountries (ISO, space-separated)")
    table: dict[tuple[str, str], set[str]] = {}
    for c, locs in COUNTRIES.items():
        for loc in locs:
            for kind, attrs in (("given", FIRST), ("family", LAST)):
                for n in names(loc, attrs):
                    table.setdefault((n, kind), set()).add(c)
    for (n, kind), countries in sorted(table.items()):
        print(f"{n}\t{kind}\t{' '.join(sorted(countries))}")
    print(f"{len(table)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
