"""A member's SSH key for tests, made and used with the real ssh-keygen (Debian's openssh-client),
as a mission working from scripts would."""

import shutil
import subprocess
from pathlib import Path

import pytest

SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(SSH_KEYGEN is None, reason="ssh-keygen (openssh-client) is not installed")


class SshKey:
    """An Ed25519 key pair in a directory, and signatures made with ``ssh-keygen -Y sign``."""

    def __init__(self, directory: Path, name: str = "id_ed25519", kind: str = "ed25519"):
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / name
        extra = ["-b", "2048"] if kind == "rsa" else []
        subprocess.run(
            [SSH_KEYGEN, "-q", "-t", kind, *extra, "-N", "", "-C", f"{name}@mission", "-f", str(self.path)],
            check=True,
        )

    @property
    def public_line(self) -> str:
        return self.path.with_suffix(".pub").read_text().strip()

    @property
    def fingerprint(self) -> str:
        """As ``ssh-keygen -l`` prints it."""
        printed = subprocess.run(
            [SSH_KEYGEN, "-l", "-f", str(self.path.with_suffix(".pub"))], check=True, capture_output=True, text=True
        )
        return printed.stdout.split()[1]

    def sign(self, message: bytes, namespace: str = "undersigned-sign-v1") -> str:
        """The armored SSHSIG ``ssh-keygen -Y sign -n NAMESPACE -f KEY FILE`` writes for the message."""
        statement = self.path.parent / f"statement-{self.path.name}"
        statement.write_bytes(message)
        statement.with_name(statement.name + ".sig").unlink(missing_ok=True)  # ssh-keygen keeps an old one
        subprocess.run(
            [SSH_KEYGEN, "-Y", "sign", "-n", namespace, "-f", str(self.path), str(statement)],
            check=True,
            capture_output=True,
        )
        return statement.with_name(statement.name + ".sig").read_text()
