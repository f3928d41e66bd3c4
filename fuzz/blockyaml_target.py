"""atheris target: arbitrary bytes as one document, ``base.blockyaml`` against the ruamel readers.

``blockyaml.decode`` must never raise, and whatever it accepts must be exactly (type for type, key
order included) what the full loader (``yamlload.load_full``) and the event decoder
(``stream.decoded.decode_events``) read; accepting what the loader refuses is a finding too.
Seeded (fuzz/run.py) with the documents of ../shared/corpus and the synthetic streams.
"""
from __future__ import annotations

import os
import sys

import atheris

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

with atheris.instrument_imports(include=["helm_vnp.base.blockyaml"]):
    from helm_vnp.base.blockyaml import DECLINED, decode

from helm_vnp.base.errors import VnpError  # noqa: E402
from helm_vnp.base.yamlload import load_full  # noqa: E402
from helm_vnp.stream.decoded import decode_events  # noqa: E402
from tests.stream.test_blockyaml import same  # noqa: E402


def TestOneInput(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    got = decode(text)
    if got is DECLINED:
        return
    try:
        want = load_full(text)
    except VnpError as e:
        raise AssertionError(f"blockyaml accepted what the loader refuses: {e}") from None
    if not same(got, want):
        raise AssertionError(f"blockyaml read {got!r}, the loader {want!r}")
    events = decode_events(text, aliases=True)
    if not same(got, events):
        raise AssertionError(f"blockyaml read {got!r}, the event decoder {events!r}")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
