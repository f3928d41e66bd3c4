"""Malformed objects (wrong types everywhere) never crash a rule: the API server would reject
them, and other rules (schema validation) say so; these rules just see nothing to count."""
from __future__ import annotations

import pytest

from helm_vnp.rules.registry import RULE_MODULES
from tests.rules.rulekit import QUOTA_ON, REFERENCE, check, context

cases = [
 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  replicas: '3'\n  template:\n"
 "    metadata: {labels: [1]}\n    spec:\n      containers: 5\n      initContainers: [{name: i, resources: []}]\n",
 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n"
 "      containers: [{name: c, resources: {requests: 'x', limits: {cpu: bogus}}, ports: [{name: p, containerPort: "
 "'80'}]}]\n",
 "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: 'x', scopeSelector: []}\n",
 "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\n"
 "spec: {hard: {pods: 1}, scopes: BestEffort, scopeSelector: {matchExpressions: [5]}}\n",
 "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: {a: 1}}\n",
 "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\n"
 "spec: {limits: [{type: Container, max: {cpu: 1}, maxLimitRequestRatio: {cpu: 0}}]}\n",
 "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: '80', externalIPs: 'x'}\n",
 "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\n"
 "spec: {podSelector: [], ingress: [{from: 'x', ports: [{port: 'http', endPort: 'x'}]}], egress: {}}\n",
 "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\n"
 "spec: {podSelector: {matchExpressions: [{key: a, operator: Bogus}]}, ingress: [{from: [{ipBlock: {cidr: nope}}, 7, "
 "{namespaceSelector: null}]}], egress: [{to: [{ipBlock: 'x'}], ports: [{port: 80, endPort: 90}]}]}\n",
 "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\n"
 "spec: {group: 5, names: 'x'}\n",
 "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
 "spec: {scaleTargetRef: 'x', maxReplicas: 'x'}\n",
 "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {spec: 'x'}, suspend: false}\n",
 "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\n"
 "spec: {volumeClaimTemplates: [5, {spec: {resources: 5}}], template: {spec: {containers: [{name: c}]}}}\n",
 "- just\n- a list\n", "42\n", "kind: Thing\n",
]


@pytest.mark.parametrize("stream", cases)
def test_rules_survive_malformed_objects(stream):
    ctx = context(stream, QUOTA_ON if "labels: [1]" in stream else REFERENCE)
    for module in RULE_MODULES:
        for finding in check(module, ctx):
            assert finding.rule == module.RULE.id and finding.message
