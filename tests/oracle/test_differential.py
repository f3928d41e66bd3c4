"""helm-vnp against the Go decoder oracle (how Helm's kube client and the API server read a stream).

For every hand-written hostile form (tests/oracle/forms.py, issue 13 items 1-3) and for hypothesis
compositions of them:
(a) vnp's reading of each input document (kind, apiVersion, namespace, name, labels) is Kubernetes';
(b) the post-renderer's output, decoded, is the input decoded plus the release label on every pod
    template -- or a clean refusal (exit 2, a located message), never a traceback;
(c) with ``podSecurityStandard: restricted``, a pod Kubernetes decodes as privileged or in a host
    namespace is refused.
The hand-written forms run through the real ``vnp-postrender``; hypothesis runs the same pipeline
in-process (fast).  ``make test`` runs hypothesis derandomized (200 examples); ``make fuzz`` runs it
at random for longer (VNP_ORACLE_EXAMPLES, VNP_ORACLE_RANDOM).
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings

from tests.hostile.hostile_oracle import POSTRENDER, run_postrender
from tests.oracle import decoder, forms

FORMS = forms.hand_written()
LOCATED = re.compile(r"<stdin>:\d+|chart/templates/[\w.-]+")
EXAMPLES = int(os.environ.get("VNP_ORACLE_EXAMPLES", "200"))
PROPERTY = settings(max_examples=EXAMPLES, derandomize=not os.environ.get("VNP_ORACLE_RANDOM"), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow], database=None)


@pytest.fixture(scope="session")
def oracle():
    try:
        return decoder.binary()
    except decoder.OracleMissing as e:
        pytest.skip(str(e))


def form_stream(name: str, privileged: bool = False) -> bytes:
    """The form after a ConfigMap; ``privileged``: with ``hostNetwork: on`` unless it breaks Pod Security already.
    A raw stream (forms.RAW) as it is."""
    if name in forms.RAW:
        return forms.RAW[name]
    w = FORMS[name]
    if privileged and not (w.host_field or w.privileged):
        w = dataclasses.replace(w, host_field="hostNetwork", host_value="on")
    return forms.stream(forms.CONFIGMAP, forms.render(w))


@pytest.fixture(scope="module")
def runs(oracle, tmp_path_factory):
    """Every form through the real post-renderer, with isolation and with restricted (in parallel)."""
    if not POSTRENDER.exists():
        pytest.skip(f"{POSTRENDER} is not installed")
    tmp = tmp_path_factory.mktemp("oracle-values")
    files = {}
    for key, text in (("isolation", decoder.ISOLATION), ("restricted", decoder.RESTRICTED)):
        files[key] = tmp / f"{key}.yaml"
        files[key].write_text(text)

    def one(job):
        name, key = job
        argv = ["-f", str(files[key]), "--release", decoder.RELEASE, "-n", decoder.NAMESPACE]
        try:
            return job, run_postrender(form_stream(name, privileged=key == "restricted"), argv)
        except subprocess.TimeoutExpired:
            return job, None

    jobs = [(n, k) for n in list(FORMS) + list(forms.RAW) for k in files]
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) + 1)) as pool:
        return dict(pool.map(one, jobs))


def judge_process(proc) -> bytes | None:
    """The output of a run that exited 0, or None for a clean refusal; anything else fails."""
    assert proc is not None, "vnp-postrender hung"
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    assert proc.returncode in (0, 2), f"exit {proc.returncode}: {err[-800:]}"
    if proc.returncode == 2:
        assert proc.stdout == b"", "output written on failure"
        assert LOCATED.search(err), f"refusal without a location: {err[-800:]}"
        return None
    return proc.stdout


def test_forms_are_kubernetes_objects(oracle):
    """Guard on the forms themselves: each decodes (the API server would accept its shape) as its kind,
    so the differential tests below compare real workloads, not broken YAML."""
    for name, w in FORMS.items():
        docs = decoder.objects(decoder.decode(form_stream(name)))
        assert [d.get("kind") for d in docs] == ["ConfigMap", w.kind], (name, docs)
        assert not decoder.refused_by_helm(docs), (name, docs)


@pytest.mark.parametrize("name", list(FORMS) + list(forms.RAW))
def test_input_view(runs, name):
    data = form_stream(name)
    decoder.check_input_view(data, decoder.decode(data), refused=judge_process(runs[(name, "isolation")]) is None)


@pytest.mark.parametrize("name", list(FORMS) + list(forms.RAW))
def test_postrender_output_labels_what_kubernetes_reads(runs, name):
    out = judge_process(runs[(name, "isolation")])
    if out is not None:
        decoder.check_output(decoder.decode(form_stream(name)), decoder.decode(out))


# forms whose host namespace Kubernetes never sees: the label value `y` makes the API server refuse the object;
# the later duplicate template (the one kept) is the decoy, not the one holding hostNetwork
NOT_PRIVILEGED = {"labels-yaml11-label-value", "template-real-then-quoted-decoy",
                  "template-real-then-quoted-decoy-cronjob"}


@pytest.mark.parametrize("name", [n for n in FORMS if n not in NOT_PRIVILEGED]
                         + [n for n, data in forms.RAW.items() if b"hostNetwork" in data])
def test_restricted_refuses_what_kubernetes_reads_as_privileged(runs, name):
    """Each form with a host namespace (``hostNetwork: on`` where the form sets none) under ``restricted``."""
    out = judge_process(runs[(name, "restricted")])
    found = decoder.stream_violations(decoder.decode(form_stream(name, privileged=True)))
    assert found, "the oracle sees no violation: the form does not test Pod Security"
    assert out is None, f"restricted passed a pod Kubernetes reads with {found}"


# -- hypothesis: compositions of the forms, in-process ---------------------------------------------------

def _note(ws) -> str:
    return "; ".join(w.describe() or "plain" for w in ws)


@PROPERTY
@given(forms.streams())
def test_property_input_view(oracle, drawn):
    data, ws = drawn
    refused = decoder.post_render_in_process(data, decoder.ISOLATION) is None
    try:
        decoder.check_input_view(data, decoder.decode(data), refused)
    except AssertionError as e:
        raise AssertionError(f"{e}\nworkloads: {_note(ws)}\nstream: {data!r}") from None


@PROPERTY
@given(forms.streams())
def test_property_output_labelled(oracle, drawn):
    data, ws = drawn
    before = decoder.decode(data)
    out = decoder.post_render_in_process(data, decoder.ISOLATION)
    if out is None or decoder.refused_by_helm(before):
        return
    try:
        decoder.check_output(before, decoder.decode(out))
    except AssertionError as e:
        raise AssertionError(f"{e}\nworkloads: {_note(ws)}\nstream: {data!r}") from None


@PROPERTY
@given(forms.streams())
def test_property_restricted(oracle, drawn):
    data, ws = drawn
    found = decoder.stream_violations(decoder.decode(data))
    out = decoder.post_render_in_process(data, decoder.RESTRICTED)
    assert not (found and out is not None), (f"restricted passed a pod Kubernetes reads with {found}\n"
                                             f"workloads: {_note(ws)}\nstream: {data!r}")
