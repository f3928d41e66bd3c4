"""base.digest: the digests hashlib gives, without importing hashlib (start-up of the post-renderer and validate)."""
from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from helm_vnp.base.digest import sha256_hex


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 300])
def test_same_digest_as_hashlib(data):
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_does_not_import_hashlib():
    code = "import sys; from helm_vnp.base.digest import sha256_hex; sha256_hex(b'x'); print('hashlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "False\n"
