"""The values reader's fast path (issue 13, item 16) gives what the whole parse gives.

The fast path composes only the lines of ``policies``/``isolation``, found by libyaml's event parser; the
whole parse composes everything.  For any file -- block and flow collections, quoted scalars over several
lines with decoy ``policies:`` lines inside, block scalars, comments, anchors, merge keys, several
documents, broken YAML -- the two agree: the same data, origins and top-level keys, or the same problems.
"""
from __future__ import annotations

import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helm_vnp.base.errors import VnpError
from helm_vnp.config import values_file
from helm_vnp.config.sources import parse_values_file

SCALARS = ["1", "017", "0o17", "09", "1:20", "on", "yes", "~", "'q'", '"d"', "x y", "a: b", "&a 3", "*a", "!!str 5",
           '"multi\n  line"', '"decoy\npolicies: {bad: 1}\n"', "'s\n\n  t'", "[1, 2]", "{a: 1}", "[\n1,\n2]",
           "{p: [1,\n 2]}", "|\n  text\n  policies: no\n", ">-\n  folded\n", "# c", "1e400", ".5", "0x1F",
           '"form\x0cfeed"', "# nel\x85policies: 1", '"ls\u2028"', "x\x0by", "{a: [1, {b: 2}], c: 'x'}",
           "[10.0.0.0/8, 2001:db8::/32]"]
KEYS = ["policies", "isolation", "image", "on", '"policies"', "'x y'", "<<", "policies ", "n", "polices", "a.b"]


CLEAN = [v for v in SCALARS if ("*" not in v and "&" not in v and "\n" not in v or v.startswith(("|", ">", '"multi')))
         and v not in ("a: b", "x y") and "\x0c" not in v and "\x0b" not in v]


@st.composite
def blocks(draw, depth=0, scalars=tuple(SCALARS)):
    """A block mapping's lines at ``depth`` (2 spaces a level)."""
    if scalars is not SCALARS and draw(st.integers(0, 9)) == 0:
        scalars = SCALARS  # now and then anything
    pad = "  " * depth
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(KEYS if depth == 0 else KEYS[2:] + ["enabled", "quota", "labels"]))
        kind = draw(st.integers(0, 4 if depth < 2 else 1))
        if kind <= 1:
            value = draw(st.sampled_from(scalars))
            lines.append(f"{pad}{key}: {value}")
        elif kind == 2:
            lines.append(f"{pad}{key}:")
            lines.append(draw(blocks(depth + 1, scalars)))
        elif kind == 3:
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{pad}{draw(st.sampled_from(['', '  ']))}- {draw(st.sampled_from(scalars[:12]))}")
        elif scalars is not SCALARS:
            lines.append(f"{pad}{key}: {{a: [1, {{b: 2}}], c: 'x'}}")
        else:
            lines.append(f"{pad}{key}: &anc")
            lines.append(draw(blocks(depth + 1, scalars)))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# comment", f"{pad}# policies: x", "   "])))
    return "\n".join(lines)


def flowed(body: str) -> str:
    """The top-level pairs of ``body`` as one flow mapping (a JSON-like file)."""
    return "{\n" + ",\n".join(line for line in body.split("\n") if line and not line.startswith((" ", "#"))) + "\n}"


files = st.builds(lambda head, body, tail, crlf: (head + body + tail).replace("\n", "\r\n" if crlf else "\n"),
                  st.sampled_from(["", "---\n", "# top\n", "%YAML 1.1\n---\n"]),
                  st.one_of(blocks(), blocks(scalars=tuple(CLEAN)), blocks(depth=0, scalars=tuple(CLEAN)).map(flowed),
                            st.builds(lambda a, b, c: f"{a}\npolicies:\n{b}\n{c}", blocks(scalars=tuple(CLEAN)),
                                      blocks(1, tuple(CLEAN)), blocks(scalars=tuple(CLEAN))),
                            st.builds(lambda a, b: flowed(f"{a}\npolicies: {{x: [1, {b}]}}"),
                                      blocks(scalars=tuple(CLEAN)), st.sampled_from(CLEAN))),
                  st.sampled_from(["\n", "", "\n---\n", "\n...\n", "\n---\npolicies: {x: 1}\n", "\n\t\n"]),
                  st.booleans())


def outcome(fn, text):
    try:
        parsed = fn("v.yaml", text)
    except VnpError as exc:
        return ("error", [p.as_dict() for p in exc.problems])
    return ("ok", parsed.docs)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
@example('a: "x\npolicies: {networkPolicy: {enabled: false}}\n"\npolicies:\n  networkPolicy: {enabled: true}\n')
@example("a: |\n  policies:\n    x: 1\npolicies:\n  y: [1,\n 2]\nb:\n- 1\n- policies\n")
@example("{a: 1,\npolicies: {x: 1}}\n")
@example("base: &b {x: 1}\n<<: {policies: {y: 2}}\npolicies:\n  <<: *b\n")
@example("policies:\n  <<: {x: 1}\n  x: 2\n  q: 1e400\nisolation: {enabled: on}\n")
@example("  policies:\n    x: 1\n  b: 2\n")
@example("policies: 1\n\n# trailing\n\nz: 2\n")
@example('{"a": 1,\n "policies": {"x": [1,\n2], "y": 3}, "b": "\u00e9"}')
@example('{"a": 1,\n "policies": {"x": [1,\n2], "x": 3}}')
@example('# \x0c\x85\npolicies:\n  x: "\u2028"\n  y: 1\r\nb: 1\n')
def test_fast_path_equals_whole_parse(text):
    assert outcome(values_file.parse, text) == outcome(values_file._whole, text), text


def test_fast_path_is_taken_and_fast_on_a_big_file(monkeypatch):
    """A 4 MB values file of ordinary chart values: parsed in well under the 2-3 s per MB of the
    whole parse, without composing the whole file (fails if the whole parse is used)."""
    chunk = "".join(f"svc{i}:\n  image: {{repository: r/x{i}, tag: \"1.{i}\"}}\n  env:\n  - name: A\n    value: v{i}\n"
                    f"  dashboard: |\n    {{\"a\": {i}, \"policies\": \"not these\"}}\n" for i in range(30000))
    text = chunk + "policies:\n  networkPolicy:\n    enabled: on\n  resourceQuota:\n    quota: {cpu: 017}\n"
    assert len(text) > 4_000_000

    def whole(*_):
        raise AssertionError("the whole file was composed")

    monkeypatch.setattr(values_file, "_whole", whole)
    start = time.monotonic()
    src, problems = parse_values_file("big.yaml", text.encode())
    took = time.monotonic() - start
    assert problems == [] and src.data == {"policies": {"networkPolicy": {"enabled": True},
                                                        "resourceQuota": {"quota": {"cpu": 15}}}}
    assert src.origins["policies.networkPolicy.enabled"] == ("big.yaml", text.count("\n") - 2)
    assert len(src.top) == 30001
    assert took < 8, took  # ~0.15 s per MB here; the whole parse took 30 s and more
