"""localaws.credentials: one generated key per stack state directory, in a 0600 file."""

from __future__ import annotations

from pathlib import Path

import botocore.session
import pytest

from localaws import credentials


def test_the_first_start_creates_them_owner_only_and_later_starts_reuse_them(
    tmp_path: Path,
) -> None:
    first = credentials.load_or_create(tmp_path)
    again = credentials.load_or_create(tmp_path)
    path = credentials.path_in(tmp_path)

    assert again == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert first.access_key_id.startswith("LKIA")
    assert len(first.access_key_id) == 20
    assert len(first.secret_access_key) >= 40


def test_each_state_directory_gets_its_own(tmp_path: Path) -> None:
    one = credentials.load_or_create(tmp_path / "one")
    two = credentials.load_or_create(tmp_path / "two")

    assert one.access_key_id != two.access_key_id
    assert one.secret_access_key != two.secret_access_key
    assert one.session_token != two.session_token


def test_a_file_with_a_looser_mode_is_tightened(tmp_path: Path) -> None:
    credentials.load_or_create(tmp_path)
    path = credentials.path_in(tmp_path)
    path.chmod(0o644)

    credentials.load_or_create(tmp_path)

    assert path.stat().st_mode & 0o777 == 0o600


def test_the_file_is_one_botocore_reads_as_a_shared_credentials_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = credentials.load_or_create(tmp_path)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials.path_in(tmp_path)))

    found = botocore.session.Session().get_credentials()

    assert found is not None
    assert (found.access_key, found.secret_key, found.token) == (
        made.access_key_id,
        made.secret_access_key,
        made.session_token,
    )
