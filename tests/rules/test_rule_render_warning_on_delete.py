"""render.warning for OnDelete StatefulSets/DaemonSets (issue 13 item 13): turning isolation on for a running
release labels their template, but their running pods keep the old one until deleted, unlabelled, and the
isolated pods then refuse their traffic."""
from __future__ import annotations

import pytest

from helm_vnp.release.pipeline import post_render
from helm_vnp.rules import render_warning
from tests.config.helpers import load
from tests.rules.rulekit import NETPOL_ON, run


def workload(kind: str, strategy: str) -> str:
    extra = "  serviceName: db\n" if kind == "StatefulSet" else ""
    return (f"---\napiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: db}}\nspec:\n{extra}"
            f"  selector: {{matchLabels: {{app: db}}}}\n  updateStrategy:\n    type: {strategy}\n"
            "  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: db}]\n")


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet"])
def test_on_delete_workload_is_warned_about(kind):
    found = run(render_warning, workload(kind, "OnDelete"), NETPOL_ON)
    assert [f.message for f in found if "OnDelete" in f.message], found


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet"])
def test_rolling_update_is_not(kind):
    assert not run(render_warning, workload(kind, "RollingUpdate"), NETPOL_ON)


def test_no_warning_when_nothing_is_labelled():
    assert not run(render_warning, workload("StatefulSet", "OnDelete"), "")


def test_post_renderer_prints_it(tmp_path):
    policies = load(tmp_path, NETPOL_ON).policies
    result = post_render(workload("DaemonSet", "OnDelete").encode(), policies, "app", "ns")
    assert any("OnDelete" in str(w) and "DaemonSet db" in str(w) for w in result.warnings), result.warnings
