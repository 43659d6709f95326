"""Per-language tables the checks use. Small on purpose: each entry is here because
a check needs it, not to describe the languages."""

from __future__ import annotations

# Frequent function words; a translation whose words come mostly from another
# language's list is in the wrong language.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is are was were that this with for from by on at as "
                    "has have had will would be been it its which their they he she".split()),
    "de": frozenset("der die das und ist sind war waren mit für von den dem des ein eine einen "
                    "einem einer nicht auch auf sich dass wird werden wurde im zum zur bei".split()),
    "ru": frozenset("и в на что с по не это как из для от к о его она они был была были "
                    "также который которые при".split()),
    "kk": frozenset("және мен бен пен да де үшін бұл осы деп деді туралы бойынша арқылы "
                    "екен еді болды болып оның олар сондай-ақ".split()),
}

# Multiplier words after a number. Keys are lower-case; a trailing "*" allows any
# ending (Russian and Kazakh inflect them).
MULTIPLIERS: dict[str, dict[str, float]] = {
    "kk": {"мың*": 1e3, "млн*": 1e6, "миллион*": 1e6, "млрд*": 1e9, "миллиард*": 1e9,
           "трлн*": 1e12, "триллион*": 1e12},
    "en": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "mln": 1e6, "mn": 1e6,
           "billion": 1e9, "billions": 1e9, "bn": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12},
    "de": {"tausend": 1e3, "tsd.": 1e3, "mio.": 1e6, "mio": 1e6, "million": 1e6, "millionen": 1e6,
           "mrd.": 1e9, "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9,
           "billion": 1e12, "billionen": 1e12},
    "ru": {"тыс.": 1e3, "тыс": 1e3, "тысяч*": 1e3, "млн.": 1e6, "млн": 1e6, "миллион*": 1e6,
           "млрд.": 1e9, "млрд": 1e9, "миллиард*": 1e9, "трлн.": 1e12, "трлн": 1e12,
           "триллион*": 1e12},
}
# English money shorthand written onto the number: $40m, 2bn, 5k.
EN_ATTACHED = {"m": 1e6, "bn": 1e9, "k": 1e3}

# How each target writes a multiplied amount, for messages: 2.2 million / 2,2 Mio. / 2,2 млн
MULTIPLIER_NAMES: dict[str, dict[float, str]] = {
    "en": {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"},
    "de": {1e3: "Tsd.", 1e6: "Mio.", 1e9: "Mrd.", 1e12: "Bio."},
    "ru": {1e3: "тыс.", 1e6: "млн", 1e9: "млрд", 1e12: "трлн"},
}

# Numbers up to twelve as words (cardinal and ordinal stems); a number written as a
# word in the translation counts as present. Matched as word prefixes.
NUMBER_WORDS: dict[str, dict[int, tuple[str, ...]]] = {
    "en": {0: ("zero",), 1: ("one", "first", "single"), 2: ("two", "second", "twice", "both", "double"),
           3: ("three", "third", "thrice"), 4: ("four", "fourth"), 5: ("five", "fifth"),
           6: ("six", "sixth"), 7: ("seven", "seventh"), 8: ("eight", "eighth"),
           9: ("nine", "ninth"), 10: ("ten", "tenth"), 11: ("eleven", "eleventh"),
           12: ("twelve", "twelfth", "dozen"), 20: ("twenty",), 30: ("thirty",), 40: ("forty",),
           50: ("fifty",), 60: ("sixty",), 70: ("seventy",), 80: ("eighty",), 90: ("ninety",),
           100: ("hundred",), 1000: ("thousand",)},
    "de": {0: ("null",), 1: ("ein", "erst"), 2: ("zwei", "beide", "doppel"), 3: ("drei", "dritt"),
           4: ("vier",), 5: ("fünf",), 6: ("sechs",), 7: ("sieben", "siebt"), 8: ("acht",),
           9: ("neun",), 10: ("zehn",), 11: ("elf",), 12: ("zwölf", "dutzend"),
           20: ("zwanzig",), 30: ("dreißig",), 40: ("vierzig",), 50: ("fünfzig",), 60: ("sechzig",),
           70: ("siebzig",), 80: ("achtzig",), 90: ("neunzig",), 100: ("hundert",), 1000: ("tausend",)},
    "ru": {0: ("ноль", "нул"), 1: ("один", "одн", "одна", "одно", "перв"), 2: ("два", "две", "двух", "двум", "втор", "оба", "обе", "двое"),
           3: ("три", "трех", "трёх", "трем", "трём", "трет", "трое"), 4: ("четыр", "четвер"),
           5: ("пят",), 6: ("шест",), 7: ("семь", "седьм", "семи"), 8: ("восем", "восьм"),
           9: ("девят",), 10: ("десят",), 11: ("одиннадцат",), 12: ("двенадцат",),
           20: ("двадцат",), 30: ("тридцат",), 40: ("сорок",), 50: ("пятьдесят", "пятидесят"),
           60: ("шестьдесят", "шестидесят"), 70: ("семьдесят", "семидесят"),
           80: ("восемьдесят", "восьмидесят"), 90: ("девяност",), 100: ("сто", "сотн"), 1000: ("тысяч",)},
}

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "de": ("jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"),
    "ru": ("янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}

# Double quotation marks: allowed in each target, and the marks a translation must not use.
QUOTES_ALLOWED = {"en": '"“”', "de": "„“", "ru": "«»„“"}
QUOTE_MARKS = '"“”„«»‟'
QUOTE_STYLE = {"en": '"..." or “...”', "de": "„...“", "ru": "«...»"}

# Median length of a human translation relative to the Kazakh source, in characters
# (FLORES-200 dev+devtest references). A translation outside half to double of it is an outlier.
LENGTH_RATIO = {"en": 0.98, "de": 1.14, "ru": 1.05, "kk": 1.0}

# Marks that take no space inside them, per target: (openers, closers).
INNER_SPACE_MARKS = {"en": ("“([", "”)]"), "de": ("„([«", "“)]»"), "ru": ("«„([", "»“)]")}

# The percent sign: True = a (no-break) space before it (DIN 5008), False = none (English
# style guides); Russian press writes both (GOST 8.417 spaces it, Мильчин does not).
PERCENT_SPACE: dict[str, bool] = {"en": False, "de": True}

# Units and abbreviations after a number that a line must not break before. English writes
# % closed up; "t", "m", "g" alone only in the Cyrillic alphabets' abbreviations below.
_SI = ("km²", "km", "m²", "m³", "cm", "mm", "kg", "ha", "kW", "MW", "GW", "kWh", "MWh", "°C", "°", "t", "m")
NBSP_UNITS: dict[str, tuple[str, ...]] = {
    "en": _SI,
    "de": (*_SI, "%", "Mio.", "Mrd.", "Tsd.", "Bio.", "Std.", "Min."),
    "ru": ("км²", "км", "м²", "м³", "см", "мм", "кг", "га", "кВт", "МВт", "ГВт", "°C", "°", "%", "т", "м", "г.",
           "млн", "млрд", "трлн", "тыс.", "руб.", "тг", "чел."),
}

# Kazakh acronyms and the forms each target writes them in (the glossary and CLDR add
# theirs): an acronym of the source must come out as one of these, or unchanged.
ACRONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "ҚР": {"en": ("RK", "Republic of Kazakhstan", "Kazakhstan", "Kazakh", "Kazakhstani"),
           "de": ("RK", "Republik Kasachstan", "Kasachstan", "kasachisch"),
           "ru": ("РК", "Республика Казахстан", "Казахстан", "казахстанский")},
    "АҚШ": {"en": ("USA", "US", "U.S.", "United States", "American", "USD"),
            "de": ("USA", "US", "Vereinigte Staaten", "amerikanisch", "USD"),
            "ru": ("США", "американский", "USD")},
    "БСН": {"en": ("BIN", "business identification number"), "de": ("BIN",), "ru": ("БИН",)},
    "ЖСН": {"en": ("IIN", "individual identification number"), "de": ("IIN",), "ru": ("ИИН",)},
    "ТМД": {"en": ("CIS",), "de": ("GUS",), "ru": ("СНГ",)},
    "ЕАЭО": {"en": ("EAEU", "Eurasian Economic Union"), "de": ("EAWU", "Eurasische Wirtschaftsunion"),
             "ru": ("ЕАЭС", "Евразийский экономический союз")},
    "ШЫҰ": {"en": ("SCO",), "de": ("SOZ",), "ru": ("ШОС",)},
    "ҰҚШҰ": {"en": ("CSTO",), "de": ("OVKS",), "ru": ("ОДКБ",)},
    "ЕО": {"en": ("EU", "European Union"), "de": ("EU", "Europäische Union"), "ru": ("ЕС", "Евросоюз")},
    "ЖІӨ": {"en": ("GDP",), "de": ("BIP",), "ru": ("ВВП",)},
    "ҚҚС": {"en": ("VAT",), "de": ("MwSt", "Mehrwertsteuer"), "ru": ("НДС",)},
    "ЕҚЫҰ": {"en": ("OSCE",), "de": ("OSZE",), "ru": ("ОБСЕ",)},
    "ДСҰ": {"en": ("WTO", "World Trade Organization"), "de": ("WTO", "Welthandelsorganisation"),
            "ru": ("ВТО",)},
    "ДДСҰ": {"en": ("WHO", "World Health Organization"), "de": ("WHO", "Weltgesundheitsorganisation"),
             "ru": ("ВОЗ",)},
    "ХВҚ": {"en": ("IMF",), "de": ("IWF",), "ru": ("МВФ",)},
    # Latin acronyms that German or Russian write their own way
    "AI": {"en": ("AI", "artificial intelligence"), "de": ("KI", "künstliche Intelligenz", "AI"),
           "ru": ("ИИ", "искусственный интеллект", "AI")},
    "GMT": {"en": ("GMT", "Greenwich"), "de": ("GMT", "Greenwich"), "ru": ("GMT", "Гринвич")},
    "UTC": {"en": ("UTC",), "de": ("UTC", "MEZ", "koordinierte Weltzeit"), "ru": ("UTC", "всемирное координированное время")},
    "EU": {"en": ("EU", "European Union"), "de": ("EU", "Europäische Union"), "ru": ("ЕС", "Евросоюз", "Европейский союз")},
    "UN": {"en": ("UN", "United Nations"), "de": ("UN", "UNO", "Vereinte Nationen"), "ru": ("ООН",)},
    "NATO": {"en": ("NATO",), "de": ("NATO", "Nato"), "ru": ("НАТО",)},
    "USA": {"en": ("USA", "US", "United States"), "de": ("USA", "Vereinigte Staaten"), "ru": ("США",)},
}

# Words that join clauses, counted with , ; : and dashes: a translation with half the
# source's clauses or fewer has lost some.
CLAUSE_WORDS: dict[str, frozenset[str]] = {
    "kk": frozenset("және ал бірақ әрі сондай-ақ сонымен қатар немесе".split()),
    "en": frozenset("and but while or whereas".split()),
    "de": frozenset("und aber sowie oder während".split()),
    "ru": frozenset("и а но или также".split()),
}

# Kazakh words that English, German and Russian texts about Kazakhstan use as their own
# (lower case or as nouns): not names, though no general dictionary lists them.
LOANWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words) for lang, words in {
        "en": "akim akims akimat akimats maslikhat maslikhats mazhilis tenge aul auls oblast oblasts".split(),
        "de": "akim akims akimat akimats maslichat maslichats mazhilis madschilis tenge aul auls oblast".split(),
        "ru": "аким акимат маслихат мажилис тенге аул".split(),
    }.items()
}

# German words after which a capitalised word is a noun, not a name.
DE_DETERMINERS = frozenset(
    "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner "
    "im am vom zum zur beim ins ans aufs unser unsere unseren unserem unserer ihr ihre ihren ihrem "
    "sein seine seinen seinem seiner dieser diese dieses diesen diesem jeder jede jedes jeden alle "
    "viele einige mehrere beide welche welcher solche".split())
