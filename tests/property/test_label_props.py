"""The label injector over generated Kubernetes-like streams, in every style a chart may write.

For any stream: parse(output) == parse(input) + the label on each pod template +
the generated documents; documents without a pod template come out byte for
byte; running again changes nothing (idempotent); same input, same bytes.
"""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helm_vnp.release.pipeline import post_render
from helm_vnp.stream import split
from tests.hostile.hostile_oracle import LABEL, parse, with_label

RELEASE = "rel"
WORKLOADS = [("Deployment", "apps/v1"), ("StatefulSet", "apps/v1"), ("DaemonSet", "apps/v1"), ("Job", "batch/v1"),
             ("ReplicaSet", "apps/v1"), ("ReplicationController", "v1"), ("CronJob", "batch/v1"), ("Pod", "v1")]
SPECIAL = {"y", "yes", "n", "no", "on", "off", "true", "false", "null", "~", "Y", "N", "True", "False", "Null",
           "ON", "OFF", "Yes", "No", "NULL", "TRUE", "FALSE"}


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    from helm_vnp.config import ValuesInput, load_config
    values = tmp_path_factory.mktemp("v") / "values.yaml"
    values.write_text("policies:\n  networkPolicy:\n    enabled: true\n")
    return load_config(ValuesInput([str(values)]), use_cache=False).policies


# -- objects -------------------------------------------------------------------------

words = st.text(st.sampled_from("abcxyz019-._"), min_size=1, max_size=8).filter(lambda s: s[0].isalnum())
label_keys = st.one_of(words, st.builds(lambda a, b: f"{a}.io/{b}", words, words), st.just(LABEL))
free_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
                    max_size=12)
label_maps = st.dictionaries(label_keys, st.one_of(words, st.just(""), st.just(RELEASE), free_text), max_size=4)


@st.composite
def pod_template(draw, bare_pod=False):
    meta = {}
    if draw(st.booleans()):
        meta["name"] = draw(words)
    labels = draw(st.one_of(st.none(), label_maps, st.just("ABSENT")))
    if labels != "ABSENT":
        meta["labels"] = labels
    if draw(st.booleans()):
        meta["annotations"] = draw(st.dictionaries(label_keys, free_text, max_size=2))
    spec = {"containers": [{"name": draw(words), "image": draw(words),
                            **({"args": draw(st.lists(free_text, max_size=3))} if draw(st.booleans()) else {})}]}
    template = {}
    if meta or draw(st.booleans()) or bare_pod:
        template["metadata"] = meta if meta or not draw(st.booleans()) else None
    template["spec"] = spec
    return template


@st.composite
def workload(draw):
    kind, api = draw(st.sampled_from(WORKLOADS))
    meta = {"name": draw(words)}
    if draw(st.booleans()):
        meta["labels"] = draw(label_maps)
    if kind == "Pod":
        tpl = draw(pod_template(bare_pod=True))
        if tpl.get("metadata") is None:
            tpl["metadata"] = {}
        tpl["metadata"].update(meta)
        return {"apiVersion": api, "kind": kind, **tpl}
    tpl = draw(pod_template())
    spec = {"template": tpl}
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        spec = {"selector": {"matchLabels": draw(label_maps)}, **spec}
    if kind == "CronJob":
        spec = {"schedule": "* * * * *", "jobTemplate": {"spec": spec}}
    if draw(st.booleans()):
        spec = dict(reversed(list(spec.items())))
    return {"apiVersion": api, "kind": kind, "metadata": meta, "spec": spec}


other = st.one_of(
    st.builds(lambda n, d: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n}, "data": d},
              words, st.dictionaries(words, free_text, max_size=3)),
    st.builds(lambda n: {"apiVersion": "v1", "kind": "Service", "metadata": {"name": n},
                         "spec": {"ports": [{"port": 80}]}}, words),
    st.builds(lambda n: {"apiVersion": "example.com/v1", "kind": "Deployment", "metadata": {"name": n},
                         "spec": {"template": {"metadata": {"labels": {"a": "b"}}}}}, words),
)


# -- rendering ----------------------------------------------------------------------

def ydumps(v, ensure_ascii: bool = True, **kw) -> str:
    """JSON text that is also valid YAML: JSON's surrogate-pair escapes (\\ud83d\\ude00) are refused
    by YAML parsers (go-yaml, as Helm uses, included), so characters beyond the BMP are escaped
    YAML's way (\\U0001f600); every non-ASCII character in JSON output stands inside a string."""
    text = json.dumps(v, ensure_ascii=False, **kw)
    if not ensure_ascii:
        return text
    return re.sub(r"[^\x00-\x7f]", lambda m: (f"\\u{ord(m[0]):04x}" if ord(m[0]) < 0x10000
                                             else f"\\U{ord(m[0]):08x}"), text)


def q(s: str, style: str) -> str:
    plain_ok = (s and s[0].isalnum() and all(c.isalnum() or c in "-._/" for c in s) and s not in SPECIAL
                and not s.replace(".", "").replace("-", "").isdigit() and not s[0].isdigit())
    if style == "plain" and plain_ok:
        return s
    if style == "single" and all(c.isprintable() for c in s):
        return "'" + s.replace("'", "''") + "'"
    return ydumps(s)


def block(obj, draw, indent: int, step: int, out: list[str], comments: bool):
    pad = " " * indent
    for k, v in obj.items():
        key = q(str(k), draw(st.sampled_from(["plain", "plain", "single", "double"])))
        if comments and draw(st.integers(0, 6)) == 0:
            out.append(" " * draw(st.integers(0, indent + 2)) + "# " + draw(words))
        if isinstance(v, dict) and v:
            out.append(f"{pad}{key}:")
            block(v, draw, indent + step, step, out, comments)
        elif isinstance(v, list) and v:
            out.append(f"{pad}{key}:")
            seq_pad = indent + draw(st.sampled_from([0, step]))
            for item in v:
                if isinstance(item, dict) and item:
                    sub: list[str] = []
                    block(item, draw, seq_pad + 2, step, sub, False)
                    sub[0] = " " * seq_pad + "- " + sub[0][seq_pad + 2:]
                    out.extend(sub)
                else:
                    out.append(" " * seq_pad + "- " + scalar(item, draw))
        else:
            tail = "  # " + draw(words) if comments and draw(st.integers(0, 5)) == 0 else ""
            out.append(f"{pad}{key}: {scalar(v, draw)}{tail}".rstrip())


def scalar(v, draw) -> str:
    if v is None:
        return draw(st.sampled_from(["", "null", "~"]))
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    if isinstance(v, bool) or isinstance(v, int):
        return ydumps(v)
    return q(v, draw(st.sampled_from(["plain", "single", "double"])))


@st.composite
def rendered(draw, obj):
    style = draw(st.sampled_from(["block", "block", "block", "json", "json-indent", "anchor"]))
    if style == "json":
        text = ydumps(obj, ensure_ascii=draw(st.booleans())) + "\n"
    elif style == "json-indent":
        text = ydumps(obj, indent=2) + "\n"
    else:
        lines: list[str] = []
        if draw(st.booleans()):
            lines.append(f"# Source: chart/templates/{draw(words)}.yaml")
        block(obj, draw, 0, draw(st.sampled_from([2, 4])), lines, comments=draw(st.booleans()))
        text = "\n".join(lines) + "\n"
        if style == "anchor":
            text = anchor(text, draw)
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def anchor(text: str, draw) -> str:
    """Anchor the first container's image and alias it in a second key (off the pod template path)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip(" -")
        if stripped.startswith("image: "):
            lines[i] = line.replace("image: ", "image: &img ", 1)
            col = len(line) - len(line.lstrip(" -"))
            lines.insert(i + 1, " " * col + "workingDir: *img")
            return "\n".join(lines)
    return text


@st.composite
def streams(draw):
    objs = draw(st.lists(st.one_of(workload(), other), min_size=1, max_size=5))
    docs = [draw(rendered(o)) for o in objs]
    seps = [draw(st.sampled_from([b"---\n", b"---\n", b"--- # doc\n", b"---\n# Source: x.yaml\n"])) for _ in docs]
    data = b"".join(s + d for s, d in zip(seps, docs))
    if draw(st.booleans()):
        data = data.replace(b"---\n", b"---\r\n") if b"\r\n" in data else data
    return objs, data


# -- properties ----------------------------------------------------------------------

def is_workload(obj) -> bool:
    return isinstance(obj, dict) and (obj.get("kind"), obj.get("apiVersion")) in WORKLOADS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(streams())
def test_output_is_input_plus_label_plus_generated(policies, generated):
    objs, data = generated
    result = post_render(data, policies, RELEASE, "ns")
    out = result.output
    ins = split(data)
    outs = split(out)
    assert len(outs) == len(ins) + len(result.generated)
    for a, b in zip(ins, outs):
        obj = parse(a.raw)
        if is_workload(obj):
            assert parse(b.raw) == with_label(obj, RELEASE)
        else:
            assert b.raw == a.raw
    for d, obj in zip(outs[len(ins):], result.generated):
        assert parse(d.raw) == obj
    # idempotent and deterministic
    assert post_render(out, policies, RELEASE, "ns").output == out
    assert post_render(data, policies, RELEASE, "ns").output == out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(streams(), st.sampled_from(["workloadSelectors"]))
def test_workload_selectors_mode_touches_nothing(policies, generated, mode):
    objs, data = generated
    result = post_render(data, {**policies, "selection": mode}, RELEASE, "ns")
    assert result.output.startswith(data)
