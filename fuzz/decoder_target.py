"""atheris target: arbitrary bytes as a rendered stream, vnp's reading compared with the Go decoder oracle.

For each input (tests/oracle/decoder.py states the checks): (a) where Helm decodes the stream and
vnp does not refuse it, vnp reads every document's kind, apiVersion, namespace, name and labels as
Kubernetes does; (b) with isolation on, the output decodes to the input plus the release label on
every pod template Kubernetes will create pods from; (c) with ``restricted``, a pod Kubernetes reads
in a host namespace, privileged, ... is refused.  A ``VnpError`` is a clean refusal; any other
exception or a broken check is a crash -- unless VNP_FUZZ_FINDINGS names a directory: then a broken
check is recorded there (one input and message per class of finding, ``decoder.finding_class``) and
fuzzing goes on, so one run lists every class it reaches.  Seeded (fuzz/run.py) with the hand-written
hostile forms.
"""
from __future__ import annotations

import os
import re
import sys

import atheris

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

with atheris.instrument_imports(include=["helm_vnp"]):
    import helm_vnp.base.yamlload  # noqa: F401
    import helm_vnp.stream.labelling  # noqa: F401
    from helm_vnp.release.pipeline import post_render  # noqa: F401  instrumented before the checks import it

from tests.oracle import decoder  # noqa: E402

FINDINGS = os.environ.get("VNP_FUZZ_FINDINGS")  # set: record one input per finding class and go on


def TestOneInput(data: bytes) -> None:
    before = decoder.decode(data)
    out = decoder.post_render_in_process(data, decoder.ISOLATION)
    for check in (input_view, output, restricted):  # each check on its own: one finding hides no other
        try:
            check(data, before, out)
        except AssertionError as e:
            if not FINDINGS:
                raise
            record(data, e)


def input_view(data: bytes, before: list, out: bytes | None) -> None:
    decoder.check_input_view(data, before, refused=out is None)


def output(data: bytes, before: list, out: bytes | None) -> None:
    if out is not None and not decoder.refused_by_helm(before):
        decoder.check_output(before, decoder.decode(out))


def restricted(data: bytes, before: list, out: bytes | None) -> None:
    found = decoder.stream_violations(before)
    if found and decoder.post_render_in_process(data, decoder.RESTRICTED) is not None:
        raise AssertionError(f"restricted passed a pod Kubernetes reads with {found}")


def record(data: bytes, e: AssertionError) -> None:
    """Keep the first input of each class of finding (and its message)."""
    cls = decoder.finding_class(str(e))
    path = os.path.join(FINDINGS, re.sub(r"[^\w]+", "-", cls).strip("-")[:120])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        with open(path + ".txt", "w") as f:
            f.write(f"{cls}\n{e}\n")


def main() -> None:
    decoder.binary()  # build (or find) the oracle before the clock starts
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
