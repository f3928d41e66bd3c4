"""atheris target: arbitrary bytes as the rendered stream through ``pipeline.post_render``.

Allowed outcomes: a result that keeps every guarantee (the chart's documents
byte-identical except labelled workloads, which parse to the input plus the
label; generated objects appended; a second pass changes nothing) or a
``VnpError``.  Anything else -- another exception, a broken guarantee -- is a
crash.  The first byte picks a config; when its low bits are 0 the bytes up
to the first NUL are a values file to load (``load_config`` must likewise
load or raise VnpError).
"""
from __future__ import annotations

import os
import sys
import tempfile

import atheris

# run as a script (not under pytest): the repository root on sys.path, once, so the
# oracle imports as the package module tests.property.postrender_oracle
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

with atheris.instrument_imports(include=["helm_vnp"]):
    import helm_vnp.base.yamlload  # noqa: F401
    import helm_vnp.generate  # noqa: F401
    import helm_vnp.stream.labelling  # noqa: F401
    import helm_vnp.stream.labelling.plan_by_parser  # noqa: F401
    from helm_vnp.base.errors import VnpError
    from helm_vnp.config import ValuesInput, load_config
    from helm_vnp.release.pipeline import post_render  # noqa: F401  instrumented before the oracle imports it

from tests.property.postrender_oracle import check_post_render  # noqa: E402

VALUES = [
    "policies:\n  networkPolicy:\n    enabled: true\n",
    "policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n",
    "policies:\n  selection: workloadSelectors\n  networkPolicy:\n    enabled: true\n",
    "policies:\n  networkPolicy:\n    enabled: false\n",
    "policies:\n  podSecurityStandard: baseline\n  podSecurity:\n    mode: warn\n  networkPolicy:\n    enabled: true\n",
]
_TMP = tempfile.mkdtemp(prefix="vnp-fuzz-")
_CONFIGS = []


def _load(text: str):
    path = os.path.join(_TMP, "values.yaml")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    return load_config(ValuesInput([path], env=False), use_cache=False).policies


def TestOneInput(data: bytes) -> None:
    if not _CONFIGS:
        _CONFIGS.extend(_load(v) for v in VALUES)
    if not data:
        data = b"\x00"
    pick, stream = data[0], data[1:]
    if pick & 0x1f == 0 and b"\x00" in stream:
        values, stream = stream.split(b"\x00", 1)
        try:
            policies = _load(values.decode("utf-8", "surrogateescape"))
        except VnpError:
            return
    else:
        policies = _CONFIGS[pick % len(_CONFIGS)]
    try:
        check_post_render(stream, policies)
    except VnpError:
        return


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
