"""The stack's own AWS credentials: generated per state directory, kept in a 0600 file.

The emulator refuses every AWS request not signed with these (`localaws.sigv4`), so only what
can read the file can use the embedded AWS. The file is an AWS shared-credentials file
(``[default]`` with key id, secret and session token), so the AWS CLI, boto3 and Chalice read it
natively through ``AWS_SHARED_CREDENTIALS_FILE``; everything the stack starts gets the values
in its environment instead. Nothing puts them on a command line.

``make run`` and ``make aws`` keep the file at ``.localaws/emulator/credentials`` (git-ignored):
created on the first start, reused after. Tests' emulators use temporary state directories,
so each gets fresh credentials.
"""

from __future__ import annotations

import configparser
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "credentials"
_KEY_ALPHABET = string.ascii_uppercase + "234567"


@dataclass(frozen=True)
class StackCredentials:
    access_key_id: str
    secret_access_key: str
    session_token: str

    def __repr__(self) -> str:  # never print the secret (logs, pytest's assertion output)
        return f"StackCredentials(access_key_id={self.access_key_id!r}, ...)"

    @classmethod
    def generate(cls) -> StackCredentials:
        return cls(
            # AWS's shape: 20 upper-case characters; "LKIA" marks a localaws key.
            access_key_id="LKIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16)),
            secret_access_key=secrets.token_urlsafe(30),
            session_token=secrets.token_urlsafe(48),
        )

    def environment(self) -> dict[str, str]:
        """The variables boto3, the AWS CLI and Chalice read the credentials from."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_SESSION_TOKEN": self.session_token,
        }

    def client_kwargs(self) -> dict[str, str]:
        """Keyword arguments for ``boto3.client``/``boto3.session.Session``."""
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> StackCredentials:
        env = os.environ if environ is None else environ
        return cls(
            env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env.get("AWS_SESSION_TOKEN", "")
        )


def path_in(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def load_or_create(state_dir: Path) -> StackCredentials:
    """The credentials of the stack whose state lives in `state_dir`, made on first use."""
    path = path_in(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    try:
        found = load(path)
        if path.stat().st_mode & 0o077:  # copied or restored with a looser mode
            path.chmod(0o600)
        return found
    except FileNotFoundError:
        pass
    created = StackCredentials.generate()
    try:
        # O_EXCL: two processes starting at once agree on one file; 0600 from the first byte.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load(path)
    with os.fdopen(fd, "w") as file:
        file.write(
            "# The embedded AWS's credentials for this stack (localaws/credentials.py).\n"
            "[default]\n"
            f"aws_access_key_id = {created.access_key_id}\n"
            f"aws_secret_access_key = {created.secret_access_key}\n"
            f"aws_session_token = {created.session_token}\n"
        )
    return created


def load(path: Path) -> StackCredentials:
    """Read a credentials file (FileNotFoundError if there is none)."""
    parser = configparser.ConfigParser(interpolation=None)
    with path.open() as file:
        parser.read_file(file)
    section = parser["default"]
    return StackCredentials(
        section["aws_access_key_id"],
        section["aws_secret_access_key"],
        section.get("aws_session_token", ""),
    )
