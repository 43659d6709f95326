"""Batches on Ray (mt/batch.py RayExecutor): a local Ray on loopback, 2 CPUs, tiny models.
Same files as the local batch; an actor killed in the middle of a release is retried.
Skipped when ray is not installed (`pip install 'mt[ray]'`); CI installs it."""

from __future__ import annotations

import logging
import os
import secrets

import pytest
from click.testing import CliRunner
from test_batch import FAST, all_files, make_archive

from mt.cli import cli

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray():
    """One Ray instance for the module (start-up is the slow part). With token authentication,
    as Ray >= 2.59 starts a local Ray; the token in the environment, so Ray writes no
    ~/.ray/auth_token into the home of whoever runs the tests."""
    saved = {k: os.environ.get(k) for k in ("RAY_AUTH_TOKEN", "RAY_AUTH_MODE")}
    os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(16)  # Ray sets RAY_AUTH_MODE=token itself
    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             logging_level=logging.WARNING, log_to_driver=False)
    yield
    ray.shutdown()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def archive_and_local(trained_nllb, tmp_path_factory):
    """Three releases and what the local batch (no Ray) writes for them."""
    root = tmp_path_factory.mktemp("ray")
    archive = make_archive(root / "archive")
    out = root / "local"
    result = translate(archive, trained_nllb, out, root / "local.sqlite")
    assert result.exit_code == 0, result.output
    return archive, all_files(out)


def translate(archive, model, out, tm, *extra):
    return CliRunner().invoke(cli, ["translate", str(archive), "--model", str(model), "--no-glossary",
                                    "--tm", str(tm), "--out", str(out), *FAST, *extra])


def test_ray_batch_writes_the_same_files_as_the_local_batch(local_ray, archive_and_local, trained_nllb, tmp_path):
    archive, local = archive_and_local
    result = translate(archive, trained_nllb, tmp_path / "out", tmp_path / "tm.sqlite", "--jobs", "2", "--ray")
    assert result.exit_code == 0, result.output
    assert all_files(tmp_path / "out") == local
    assert len(local) == 18


def test_an_actor_killed_mid_release_is_retried(local_ray, archive_and_local, trained_nllb, tmp_path, monkeypatch):
    archive, local = archive_and_local
    flag = tmp_path / "killed-once"
    monkeypatch.setenv("MT_TEST_KILL_ACTOR_ONCE", str(flag))  # first call: the actor SIGKILLs itself
    result = translate(archive, trained_nllb, tmp_path / "out", tmp_path / "tm.sqlite", "--jobs", "2", "--ray")
    assert result.exit_code == 0, result.output
    assert flag.read_text().isdigit()  # an actor process really died
    # Ray itself may add a line about the dead worker; the summary is ours.
    lines = result.output.splitlines()
    top = lines.index(next(line for line in lines if line.startswith("file ")))
    assert sorted(line.split()[1] for line in lines[top + 1:top + 4]) == ["done"] * 3
    assert any(line.startswith("3 translated, 0 skipped (outputs exist), 0 failed") for line in lines)
    # Every release written once and whole: exactly the local files, nothing half-written.
    assert all_files(tmp_path / "out") == local
