"""One table: our language codes to each model family's codes and vocabulary tokens.

An unknown code is an error, never a guess: elsewhere an unknown code silently
translates into some other language. The token a model needs is also checked against
the loaded tokenizer, so a model that lacks a language fails loudly instead of
decoding from <unk>.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mt.errors import LanguageError, ModelError

FAMILIES = ("nllb", "m2m100", "madlad", "marian")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    nllb: str | None        # NLLB-200 / FLORES-200 code, a vocabulary token
    m2m100: str | None      # M2M100 code; the token is __code__
    madlad: str | None      # MADLAD-400 target prefix token <2xx>
    marian: tuple[str, ...]  # Opus-MT target tokens, in order of preference

    def codes(self, family: str) -> tuple[str, ...]:
        value = getattr(self, family)
        if value is None:
            return ()
        return value if isinstance(value, tuple) else (value,)


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("kk", "Kazakh", "kaz_Cyrl", "kk", "<2kk>", (">>kaz<<", ">>kaz_Cyrl<<")),
    Language("de", "German", "deu_Latn", "de", "<2de>", (">>deu<<",)),
    Language("en", "English", "eng_Latn", "en", "<2en>", (">>eng<<",)),
    Language("ru", "Russian", "rus_Cyrl", "ru", "<2ru>", (">>rus<<",)),
    Language("tr", "Turkish", "tur_Latn", "tr", "<2tr>", (">>tur<<",)),
    Language("uz", "Uzbek", "uzn_Latn", "uz", "<2uz>", (">>uzb_Latn<<", ">>uzb<<")),
    Language("ky", "Kyrgyz", "kir_Cyrl", None, "<2ky>", (">>kir<<", ">>kir_Cyrl<<")),
    Language("fr", "French", "fra_Latn", "fr", "<2fr>", (">>fra<<",)),
)}

# ISO 639-3 codes, for models that name their languages that way (Opus-MT configs).
ISO3 = {"kk": "kaz", "de": "deu", "en": "eng", "ru": "rus", "tr": "tur", "uz": "uzb", "ky": "kir", "fr": "fra"}


def language(lang: str) -> Language:
    if lang not in LANGUAGES:
        raise LanguageError(f"unknown language code '{lang}'",
                            hint=f"use one of: {', '.join(LANGUAGES)}")
    return LANGUAGES[lang]


def codes_for(family: str, lang: str) -> tuple[str, ...]:
    """All codes `family` may use for `lang`, preferred first; LanguageError if none."""
    if family not in FAMILIES:
        raise ModelError(f"unknown model family '{family}'", hint=f"one of: {', '.join(FAMILIES)}")
    codes = language(lang).codes(family)
    if not codes:
        raise LanguageError(f"{family} models do not cover language '{lang}'",
                            hint="pick another model or language")
    return codes


def code_for(family: str, lang: str) -> str:
    """The family's code for one of our codes: code_for('nllb', 'kk') == 'kaz_Cyrl'."""
    return codes_for(family, lang)[0]


def token_for(family: str, code: str) -> str:
    """The vocabulary token that carries a family code."""
    return f"__{code}__" if family == "m2m100" else code


def language_token(family: str, lang: str, known: Callable[[str], bool]) -> str:
    """The vocabulary token that selects `lang` for `family`: the first of the family's
    codes for which `known(token)` holds. Fails loudly when the vocabulary has none
    (the token would otherwise encode as <unk>, or as plain text)."""
    codes = codes_for(family, lang)
    for code in codes:
        token = token_for(family, code)
        if known(token):
            return token
    tried = ", ".join(token_for(family, c) for c in codes)
    raise LanguageError(f"the model's vocabulary has no token for language '{lang}' (tried {tried})",
                        hint="this model does not cover that language; pick another model")


# Families whose decoder is forced to start with the target code; the others carry the
# target in the source (MADLAD-400 <2xx>, multi-target Opus-MT >>xxx<<).
TARGET_IN_DECODER = ("nllb", "m2m100")


def source_markers(family: str, src: str, tgt: str, known: Callable[[str], bool], *,
                   multi_target: bool = True) -> tuple[str, ...]:
    """Language tokens that open the source row (`markers + pieces + </s>`), each a whole
    vocabulary entry checked with `known`. Engines add them as ids, never as text for the
    tokenizer to split (transformers 5.25 began splitting MADLAD's "<2de> ..." into
    '▁', '<2de>', ...).

    nllb, m2m100   the source code
    madlad         <2xx> of the target
    marian         multi-target models: >>xxx<< of the target; single-pair
                   models (`multi_target=False`): none"""
    if family in TARGET_IN_DECODER:
        return (language_token(family, src, known),)
    if family == "madlad" or (family == "marian" and multi_target):
        return (language_token(family, tgt, known),)
    codes_for(family, tgt)  # still refuse a code outside our table
    return ()


def target_markers(family: str, tgt: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """Tokens the decoder is forced to start with, after its own start token."""
    if family in TARGET_IN_DECODER:
        return (language_token(family, tgt, known),)
    return ()


def lang_token_id(tokenizer, family: str, lang: str) -> tuple[str, int]:
    """(token, id) of the language token in a loaded transformers tokenizer."""
    token = language_token(family, lang, lambda t: known_token_id(tokenizer, t) is not None)
    token_id = known_token_id(tokenizer, token)
    assert token_id is not None  # language_token returns only tokens that have an id
    return token, token_id


def known_token_id(tokenizer, token: str) -> int | None:
    """The id of `token` as one vocabulary entry, or None when the tokenizer lacks it
    (maps it to <unk>, or to an id that is another token)."""
    token_id = tokenizer.convert_tokens_to_ids(token)
    if token_id is None or token_id == getattr(tokenizer, "unk_token_id", None):
        return None
    return token_id if tokenizer.convert_ids_to_tokens(token_id) == token else None


def family_of(model_type: str, tokenizer_class: str = "", vocab: set[str] | frozenset[str] = frozenset()) -> str:
    """Model family from config.model_type and the tokenizer class name.

    NLLB and M2M100 share model_type m2m_100 and differ by tokenizer; MADLAD-400 is a
    T5 whose vocabulary has <2xx> target tokens (a plain T5 is not a translation model
    we can steer by language)."""
    tokenizer_class = tokenizer_class.lower()
    if model_type == "m2m_100":
        if "nllb" in tokenizer_class:
            return "nllb"
        if "m2m100" in tokenizer_class:
            return "m2m100"
        raise ModelError(f"m2m_100 model with an unexpected tokenizer ({tokenizer_class or 'none'})",
                         hint="expected NllbTokenizer or M2M100Tokenizer")
    if model_type == "marian":
        return "marian"
    if model_type in ("t5", "mt5"):
        if not vocab or any(tok.startswith("<2") and tok.endswith(">") for tok in vocab):
            return "madlad"
        raise ModelError("T5 model without <2xx> language tokens",
                         hint="use a MADLAD-400 model, or NLLB/M2M100/Opus-MT")
    raise ModelError(f"model type '{model_type}' is not a supported translation model",
                     hint="use an NLLB-200, M2M100, MADLAD-400 or Opus-MT (Marian) model")


def table_markdown() -> str:
    """The code table as Markdown (for the README and `mt models list --languages`)."""
    rows = ["| ours | language | NLLB-200 | M2M100 | MADLAD-400 | Opus-MT |", "|---|---|---|---|---|---|"]
    for lang in LANGUAGES.values():
        rows.append(f"| {lang.code} | {lang.name} | {lang.nllb or '-'} | {lang.m2m100 or '-'} | "
                    f"{lang.madlad or '-'} | {' '.join(lang.marian) or '-'} |")
    return "\n".join(rows)
