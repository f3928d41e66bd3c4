"""A scoped ResourceQuota only holds what its scopes can track (else the API server refuses it)."""
from __future__ import annotations

import pytest

from helm_vnp.base.errors import VnpError
from helm_vnp.config import ValuesInput, check_values, load_config


def test_default_entries_a_scoped_quota_cannot_hold_are_left_out_with_a_warning():
    loaded = load_config(ValuesInput(sets=["policies.resourceQuota.enabled=true",
                                           "policies.resourceQuota.scopes={NotTerminating}"]), use_cache=False)
    hard = loaded.policies["resourceQuota"]["quota"]
    # count/<resource> entries are not standard quota names: the API server lets them be
    assert sorted(hard) == ["count/configmaps", "count/endpoints", "count/persistentvolumeclaims", "count/pods",
                            "count/secrets", "count/services", "limits.cpu", "limits.memory", "requests.cpu",
                            "requests.memory"]
    [w] = [w for w in loaded.warnings if w.path == "policies.resourceQuota"]
    assert "services.nodeports" in w.message and "requests.storage" in w.message


def test_best_effort_holds_pods_only():
    loaded = load_config(ValuesInput(sets=["policies.resourceQuota.enabled=true",
                                           "policies.resourceQuota.scopes={BestEffort}",
                                           "policies.resourceQuota.quota.pods=5"]), use_cache=False)
    assert sorted(loaded.policies["resourceQuota"]["quota"]) == [
        "count/configmaps", "count/endpoints", "count/persistentvolumeclaims", "count/pods", "count/secrets",
        "count/services", "pods"]


def test_a_user_entry_the_scope_cannot_hold_is_an_error(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text("policies:\n  resourceQuota:\n    enabled: true\n    scopeSelector:\n      matchExpressions:\n"
                    "      - {scopeName: BestEffort, operator: Exists}\n    quota:\n      requests.cpu: '2'\n")
    loaded, problems = check_values(ValuesInput([str(path)]), use_cache=False)
    assert loaded is None
    [p] = problems
    assert (p.path, p.line) == ('policies.resourceQuota.quota["requests.cpu"]', 8)
    assert "cannot limit requests.cpu" in p.message and "unsupported scope applied to resource" in p.message
    with pytest.raises(VnpError):
        load_config(ValuesInput([str(path)]), use_cache=False)


def test_unscoped_quota_is_untouched():
    loaded = load_config(ValuesInput(sets=["policies.resourceQuota.enabled=true"]), use_cache=False)
    assert "services.nodeports" in loaded.policies["resourceQuota"]["quota"]
