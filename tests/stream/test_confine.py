"""policies.networkPolicy.confineChartPolicies: the chart's NetworkPolicies rewritten, as minimal text edits, so
that their pod and namespace peers match only the release's pods (ipBlocks kept); proven on the decoded result,
idempotent, fail closed on what the planner cannot edit safely."""
from __future__ import annotations

from pathlib import Path

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.base.names import RELEASE_LABEL
from helm_vnp.k8s.netpol import Pod, allowed, policies_from
from helm_vnp.release.pipeline import post_render
from helm_vnp.stream import split
from tests.rules.rulekit import policies_from as config

INPUT = (Path(__file__).parent / "confine_input.yaml").read_text()
ON = "policies:\n  networkPolicy:\n    enabled: true\n    confineChartPolicies: true\n"
NS = "team-a"
REL = {RELEASE_LABEL: "web"}


def render(values: str = ON, text: str = INPUT, **kw):
    policies, _ = config(values)
    return post_render(text.encode(), policies, "web", NS, **kw)


def chart_policy(result):
    return next(d for d in result.docs if d.kind == "NetworkPolicy")


def test_every_peer_is_confined_and_ip_blocks_are_kept():
    spec = chart_policy(render()).obj["spec"]
    peers = spec["ingress"][0]["from"]
    assert peers[0]["podSelector"]["matchLabels"] == {RELEASE_LABEL: "web", "app": "client"}
    assert peers[1] == {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": NS, "team": "ops"}},
                        "podSelector": {"matchLabels": REL}}
    assert peers[2]["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": NS}}
    assert peers[3] == {"ipBlock": {"cidr": "10.0.0.0/8"}}
    own = [{"podSelector": {"matchLabels": REL}}]
    assert spec["ingress"][1] == {"ports": [{"port": 80}], "from": own} and spec["ingress"][2] == {"from": own}
    assert spec["egress"][0]["to"] == own and spec["egress"][1]["to"] == [{"podSelector": {"matchLabels": REL}}]


def test_only_the_peers_change_comments_and_order_stay():
    out = chart_policy(render()).raw.decode()
    assert "app: client   # the client" in out and "# Source: x/templates/np.yaml" in out
    before = [line for line in INPUT.split("---")[0].splitlines()]
    after = out.splitlines()
    assert all(line in after for line in before if "{" not in line and "to: []" not in line)


def test_the_chart_policy_then_opens_nothing_beyond_the_release():
    """Seen alone (vnp's own policies left out), the confined chart policy admits release pods only."""
    doc = chart_policy(render())
    pols = policies_from([doc.obj], NS)
    web = Pod(NS, {"app": "web", **REL})
    assert allowed(pols, Pod(NS, {"app": "client", **REL}), web, 80)
    assert not allowed(pols, Pod(NS, {"app": "client"}), web, 80)  # same labels, not the release's
    assert not allowed(pols, Pod("ops", {"app": "prom", **REL}, {"team": "ops"}), web, 80)
    assert allowed(pols, "10.1.2.3", web, 80)  # the ipBlock stays


def test_idempotent_and_off_by_default():
    first = render()
    policies, _ = config(ON)
    assert post_render(first.output, policies, "web", NS).output == first.output
    untouched = render("policies:\n  networkPolicy:\n    enabled: true\n")
    assert chart_policy(untouched).raw == split(INPUT.encode())[0].raw


ANCHORED = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: anchored}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: &peer
        matchLabels: {app: a}
  egress:
  - to:
    - podSelector: *peer
"""


def test_an_anchor_shared_between_peers_fails_closed_with_the_place():
    with pytest.raises(VnpError) as exc:
        render(text=ANCHORED)
    [p] = exc.value.problems
    assert "NetworkPolicy anchored" in p.message and "confine" in p.message and p.line


def test_lint_collects_what_cannot_be_confined():
    result = render(text=ANCHORED, collect_unapplied=True)
    [u] = result.unapplied
    assert u.path == "policies.networkPolicy.confineChartPolicies" and "anchored" in u.message
    assert chart_policy(result).raw.decode() == ANCHORED  # passed unchanged


def test_confining_needs_the_release_label():
    with pytest.raises(VnpError) as exc:
        render("policies:\n  networkPolicy:\n    confineChartPolicies: true\n  resourceQuota:\n    enabled: true\n")
    assert "selection: podLabel" in exc.value.problems[0].message


def test_lint_reports_the_policy_it_cannot_confine_as_netpol_unapplied():
    from helm_vnp.rules import netpol_unapplied
    from tests.rules.rulekit import context
    release = context(ANCHORED, ON)
    [f] = list(netpol_unapplied.check(release, {}))
    assert f.severity == "error" and "anchored" in f.message and f.source.line


def _random_policies(count: int, seed: int = 7):
    """Chart NetworkPolicies of every peer shape (null, empty, labelled, expressions, a wrong release value,
    another namespace), peerless rules, written as JSON, block YAML of several indentations, mixed flow, CRLF."""
    import io
    import json
    import random

    from ruamel.yaml import YAML
    rnd = random.Random(seed)

    def peer():
        return rnd.choice([
            {"ipBlock": {"cidr": "10.0.0.0/8"}},
            {"podSelector": rnd.choice([{}, None, {"matchLabels": {"a": "b"}},
                                        {"matchExpressions": [{"key": "x", "operator": "Exists"}]}])},
            {"namespaceSelector": rnd.choice([{}, None, {"matchLabels": {"kubernetes.io/metadata.name": "other"}}])},
            {"namespaceSelector": {}, "podSelector": {"matchLabels": {"z": "1"}}},
            {"podSelector": {"matchLabels": {RELEASE_LABEL: "evil"}}},
            {"namespaceSelector": {"matchLabels": {"t": "x"}}, "podSelector": {}}])

    def rule(key):
        r = rnd.choice([{key: [peer() for _ in range(rnd.randrange(1, 4))]}, {key: []}, {key: None}, {}])
        return {**r, "ports": [{"port": 80}]} if rnd.random() < 0.5 else r

    for n in range(count):
        obj = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": f"p{n}"},
               "spec": {"podSelector": {}, "ingress": [rule("from") for _ in range(rnd.randrange(3))],
                        "egress": [rule("to") for _ in range(rnd.randrange(3))]}}
        style = rnd.randrange(4)
        if style == 0:
            text = json.dumps(obj)
        else:
            y = YAML()
            y.default_flow_style = None if style == 3 else False
            y.indent(mapping=4 if style == 2 else 2, sequence=2 if style == 1 else 4, offset=0 if style == 1 else 2)
            out = io.StringIO()
            y.dump(obj, out)
            text = out.getvalue()
        yield obj, text.replace("\n", "\r\n") if rnd.random() < 0.2 else text


def test_every_shape_is_confined_exactly_and_idempotently():
    import json

    from helm_vnp.stream.confine import confined
    policies, _ = config(ON)
    checked = 0
    for obj, text in _random_policies(150):
        result = post_render(text.encode(), policies, "web", NS)
        assert chart_policy(result).obj == confined(json.loads(json.dumps(obj)), "web", NS), text
        assert post_render(result.output, policies, "web", NS).output == result.output, text
        # whatever the chart wrote, its policy now admits no pod outside the release (its ipBlocks stay)
        confined_alone = policies_from([chart_policy(result).obj], NS)
        target = Pod(NS, REL)
        every_label = {"a": "b", "z": "1", "x": "y"}
        for outsider in (Pod(NS, every_label), Pod("other", {**every_label, **REL}, {"t": "x"})):
            if "Ingress" in confined_alone[0].types:
                assert not allowed(confined_alone, outsider, target, 80), text
            if "Egress" in confined_alone[0].types:
                assert not allowed(confined_alone, target, outsider, 80), text
        checked += "Ingress" in confined_alone[0].types and "Egress" in confined_alone[0].types
    assert checked > 20  # the semantic check ran on many policies isolating both ways


WIDE = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: scrape}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {}
"""


def test_the_connectivity_engine_sees_the_confined_policy():
    """netpol.chartWidens (on the engine) reports what the chart policy opens; once confined, nothing."""
    from helm_vnp.rules import netpol_chart_widens
    from tests.rules.rulekit import run
    wide = run(netpol_chart_widens, WIDE, "policies:\n  networkPolicy:\n    enabled: true\n")
    assert wide and all("scrape" in f.message for f in wide)
    assert run(netpol_chart_widens, WIDE, ON) == []
