import pytest
import tinymodels

from mt.errors import LanguageError, ModelError
from mt.languages import LANGUAGES, code_for, codes_for, family_of, lang_token_id, table_markdown, token_for


@pytest.mark.parametrize("family, expected", [
    ("nllb", ["kaz_Cyrl", "deu_Latn", "eng_Latn", "rus_Cyrl"]),
    ("m2m100", ["kk", "de", "en", "ru"]),
    ("madlad", ["<2kk>", "<2de>", "<2en>", "<2ru>"]),
    ("marian", [">>kaz<<", ">>deu<<", ">>eng<<", ">>rus<<"]),
])
def test_codes_for_our_languages(family, expected):
    assert [code_for(family, lang) for lang in ("kk", "de", "en", "ru")] == expected


def test_every_nllb_code_is_a_real_flores200_code():
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    for lang in LANGUAGES.values():
        assert lang.nllb in FAIRSEQ_LANGUAGE_CODES, lang


def test_every_m2m100_code_is_a_real_m2m100_code():
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    for lang in LANGUAGES.values():
        if lang.m2m100:
            assert lang.m2m100 in FAIRSEQ_LANGUAGE_CODES["m2m100"], lang


@pytest.mark.parametrize("bad", ["xx", "KK", "kaz", "", "deu_Latn"])
def test_unknown_code_is_refused(bad):
    with pytest.raises(LanguageError, match="unknown language code"):
        code_for("nllb", bad)


def test_language_a_family_lacks_is_refused():
    with pytest.raises(LanguageError, match="m2m100 models do not cover language 'ky'"):
        code_for("m2m100", "ky")


def test_marian_codes_have_fallbacks():
    assert codes_for("marian", "kk") == (">>kaz<<", ">>kaz_Cyrl<<")
    assert token_for("m2m100", "kk") == "__kk__"
    assert token_for("nllb", "kaz_Cyrl") == "kaz_Cyrl"


def test_family_detection():
    assert family_of("m2m_100", "NllbTokenizer") == "nllb"
    assert family_of("m2m_100", "NllbTokenizerFast") == "nllb"
    assert family_of("m2m_100", "M2M100Tokenizer") == "m2m100"
    assert family_of("marian", "MarianTokenizer") == "marian"
    assert family_of("t5", "T5Tokenizer", {"<2de>", "▁a"}) == "madlad"
    with pytest.raises(ModelError, match="without <2xx>"):
        family_of("t5", "T5Tokenizer", {"▁a", "<extra_id_0>"})
    with pytest.raises(ModelError, match="not a supported translation model"):
        family_of("bert", "BertTokenizer")


def test_vocabulary_check_finds_codes_and_refuses_missing(tmp_path):
    tokenizer = tinymodels.nllb_tokenizer(tmp_path, tinymodels.SAMPLE_TEXTS, langs=("kk", "de"))
    token, token_id = lang_token_id(tokenizer, "nllb", "de")
    assert token == "deu_Latn" and token_id != tokenizer.unk_token_id
    assert tokenizer.convert_ids_to_tokens(token_id) == "deu_Latn"
    # rus_Cyrl is a valid NLLB code, but this vocabulary lacks it: it would encode as <unk>
    assert tokenizer.convert_tokens_to_ids("rus_Cyrl") == tokenizer.unk_token_id
    with pytest.raises(LanguageError, match="no token for language 'ru'"):
        lang_token_id(tokenizer, "nllb", "ru")


def test_table_lists_every_language():
    table = table_markdown()
    for code in LANGUAGES:
        assert f"| {code} |" in table
    assert "kaz_Cyrl" in table and "<2de>" in table
