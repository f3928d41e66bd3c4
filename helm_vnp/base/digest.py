"""SHA-256 without ``hashlib``: importing hashlib loads OpenSSL's wrapper (several milliseconds of every start of
the post-renderer and ``validate``, which key their config cache by digests); CPython's own SHA-256 module gives the
same digests.  ``hashlib`` is the fall-back where that module is missing (another interpreter)."""
from __future__ import annotations


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data``, in hex."""
    return _sha256()(data).hexdigest()


def _sha256():
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # CPython 3.11
        except ImportError:
            from hashlib import sha256
    return sha256
