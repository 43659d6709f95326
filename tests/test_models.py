import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt.cli import cli
from mt.errors import ModelError
from mt.models import (
    KNOWN_MODELS,
    download,
    fingerprint,
    list_cached,
    model_fingerprint,
    parse_model,
    resolve,
    revision_of,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def put_in_cache(cache: Path, repo_id: str, model_folder: Path, commit: str = COMMIT, ref: str = "main") -> Path:
    """Lay a saved model out as huggingface_hub does: snapshots/<commit>/ + refs/<ref>."""
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / commit
    shutil.copytree(model_folder, snapshot)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / ref).write_text(commit)
    return snapshot


@pytest.fixture
def hf_cache(tmp_path, monkeypatch) -> Path:
    cache = tmp_path / "hub"
    cache.mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache


def test_parse_hub_id_with_and_without_revision():
    ref = parse_model("facebook/nllb-200-distilled-600M@abc123")
    assert (ref.repo_id, ref.revision, ref.path) == ("facebook/nllb-200-distilled-600M", "abc123", None)
    pinned = parse_model("facebook/nllb-200-distilled-600M")
    assert pinned.revision == KNOWN_MODELS["facebook/nllb-200-distilled-600M"].revision
    assert pinned.pinned and len(pinned.revision) == 40
    assert parse_model("someone/unknown-mt").revision is None


def test_parse_paths(tmp_path):
    assert parse_model(str(tmp_path)).path == tmp_path
    assert parse_model("/nonexistent").path == Path("/nonexistent")
    assert parse_model("./models/x").path == Path("models/x")
    assert parse_model("a/b/c").path == Path("a/b/c")  # hub ids have one slash at most


@pytest.mark.parametrize("bad", ["", "org/name@", "org/na me"])
def test_parse_refuses_nonsense(bad):
    with pytest.raises(ModelError):
        parse_model(bad)


def test_missing_folder_is_one_line_error_saying_what_to_do():
    with pytest.raises(ModelError) as info:
        resolve("/nonexistent/model")
    text = str(info.value)
    assert "\n" not in text
    assert "/nonexistent/model does not exist" in text and "mt models download" in text


def test_folder_without_config_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no config.json"):
        resolve(str(tmp_path))


def test_uncached_hub_id_offline_says_how_to_get_it(hf_cache):
    with pytest.raises(ModelError) as info:
        resolve("facebook/nllb-200-distilled-600M")
    text = str(info.value)
    assert "\n" not in text
    assert "not in the Hugging Face cache" in text
    assert "(revision f8d333a098d1)" in text
    assert "run `mt models download facebook/nllb-200-distilled-600M` on a connected machine" in text
    assert "--model PATH" in text


def test_cached_hub_id_resolves_offline_by_ref_and_by_commit(hf_cache, tiny_nllb):
    snapshot = put_in_cache(hf_cache, "tiny/nllb", tiny_nllb)
    assert resolve("tiny/nllb") == snapshot
    assert resolve(f"tiny/nllb@{COMMIT}") == snapshot
    assert revision_of(parse_model("tiny/nllb"), snapshot) == COMMIT
    with pytest.raises(ModelError, match="not in the Hugging Face cache"):
        resolve("tiny/nllb@" + "f" * 40)


def test_fingerprint_follows_content(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"\0" * (3 << 20))
    first = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == first
    data = bytearray((tmp_path / "model.safetensors").read_bytes())
    data[-5] = 1  # change inside the last MiB
    (tmp_path / "model.safetensors").write_bytes(bytes(data))
    assert fingerprint(tmp_path) != first


def test_model_fingerprint_uses_cached_commit(hf_cache, tiny_nllb):
    put_in_cache(hf_cache, "tiny/nllb", tiny_nllb)
    assert model_fingerprint("tiny/nllb") == f"tiny/nllb@{COMMIT}"
    assert model_fingerprint(str(tiny_nllb)).startswith(f"{tiny_nllb}@local-")


def test_download_refuses_offline_and_local_folders(hf_cache, tmp_path):
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE is set"):
        download("facebook/nllb-200-distilled-600M")
    with pytest.raises(ModelError, match="local path, not a hub id"):
        download(str(tmp_path))


def test_list_cached_shows_only_seq2seq_models(hf_cache, tiny_nllb, tmp_path):
    put_in_cache(hf_cache, "tiny/nllb", tiny_nllb)
    bert = tmp_path / "bert"
    bert.mkdir()
    (bert / "config.json").write_text(json.dumps({"model_type": "bert"}))
    put_in_cache(hf_cache, "some/bert", bert, commit="1" * 40)
    rows = list_cached()
    assert [(r.repo_id, r.revision, r.refs, r.model_type) for r in rows] == [
        ("tiny/nllb", COMMIT, ("main",), "m2m_100")]
    assert rows[0].size_bytes > 0


def test_cli_models_list_and_download(hf_cache, tiny_nllb):
    put_in_cache(hf_cache, "tiny/nllb", tiny_nllb)
    runner = CliRunner()
    result = runner.invoke(cli, ["models", "list"])
    assert result.exit_code == 0, result.output
    assert f"tiny/nllb@{COMMIT} (main)  m2m_100" in result.output
    assert "facebook/nllb-200-distilled-600M" in result.output  # known, not cached
    rows = [json.loads(line) for line in runner.invoke(cli, ["models", "list", "--format", "jsonl"]).output.splitlines()]
    assert [r["model"] for r in rows] == ["tiny/nllb"]

    result = runner.invoke(cli, ["models", "download", "facebook/nllb-200-distilled-600M"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "HF_HUB_OFFLINE is set" in result.output


def test_cli_models_list_languages():
    result = CliRunner().invoke(cli, ["models", "list", "--languages"])
    assert result.exit_code == 0 and "| kk | Kazakh | kaz_Cyrl |" in result.output


def test_engine_loads_cached_hub_id_offline_with_commit_in_signature(hf_cache, tiny_nllb):
    from mt.engines import EngineOptions, load_engine

    put_in_cache(hf_cache, "tiny/nllb", tiny_nllb)
    engine = load_engine("tiny/nllb", options=EngineOptions(beam_size=1, max_length=8))
    assert engine.signature == f"hf:tiny/nllb@{COMMIT}:beam1:maxlen8"
    assert engine.translate(["Бүгін кездесу өтті."], "kk", "de")[0]


def test_a_file_is_not_taken_for_a_model_folder_or_a_hub_id(tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"\0")
    with pytest.raises(ModelError, match="is a file, not a model folder"):
        resolve(str(weights))
    result = CliRunner().invoke(cli, ["models", "download", str(weights)])
    assert result.exit_code == 2 and "local path, not a hub id" in result.stderr
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.parametrize("bad", ["org/name@@main", "org/name@a b", "org/name@main@v2"])
def test_parse_refuses_a_malformed_revision(bad):
    with pytest.raises(ModelError, match="neither a folder nor a hub id"):
        parse_model(bad)


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _no_dns(*args, **kwargs):
    import socket

    raise socket.gaierror(-2, "Name or service not known")


@pytest.mark.parametrize("endpoint, message", [
    ("https://huggingface.co", "no network: cannot resolve huggingface.co"),  # name lookup fails
    ("http://127.0.0.1:{port}", "cannot reach 127.0.0.1:{port}"),  # a real refused connection
])
def test_download_without_network_is_one_line_and_quick(hf_cache, monkeypatch, capfd, endpoint, message):
    """No hub retries (each printed a warning and the whole took ~25 s): one line that
    says what to do, before huggingface_hub starts."""
    import socket
    import time

    from huggingface_hub import constants

    port = _closed_port()
    monkeypatch.delenv("HF_HUB_OFFLINE")
    if "huggingface.co" in endpoint:
        monkeypatch.setattr(socket, "create_connection", _no_dns)
    monkeypatch.setattr(constants, "ENDPOINT", endpoint.format(port=port))
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["models", "download", "facebook/nllb-200-distilled-600M"])
    assert result.exit_code == 2
    assert message.format(port=port) in result.stderr and "HF_HUB_CACHE" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Retry" not in result.output + capfd.readouterr().err
    assert time.monotonic() - started < 10
    assert not any(hf_cache.iterdir())  # nothing half-downloaded
