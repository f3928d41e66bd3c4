"""Fixtures every test folder shares, and the one place that knows where ../shared is.

``../shared`` (next to the repository, not in it) holds the team's real-world rendered
streams (``corpus/``) and vCluster's own renders (``reference/vcluster/``).  A user's clone
has no ``../shared``: every test that reads it asks for the ``corpus`` or
``vcluster_reference`` fixture, which skips the test, saying why, when the file is absent.
No other test may depend on it.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
VCLUSTER_REFERENCE = SHARED / "reference" / "vcluster"

# the reference config: networkPolicy and resourceQuota (with vCluster's defaults) enabled
REFERENCE_VALUES = "policies:\n  networkPolicy:\n    enabled: true\n  resourceQuota:\n    enabled: true\n"


def need_shared(path: Path) -> Path:
    """``path`` (a file under ../shared), or skip the calling test with the reason it cannot run."""
    if not SHARED.is_dir():
        pytest.skip(f"needs {SHARED}, the team's shared data next to the repository (not part of a clone)")
    if not path.exists():
        pytest.skip(f"{path} is absent from {SHARED}")
    return path


@pytest.fixture(scope="session")
def corpus() -> Callable[[str], Path]:
    """``corpus(name)``: the path of a rendered stream in ../shared/corpus (skips the test when absent)."""
    return lambda name: need_shared(CORPUS / name)


@pytest.fixture(scope="session")
def vcluster_reference() -> Callable[[str], Path]:
    """``vcluster_reference(name)``: a vCluster render in ../shared/reference/vcluster (skips when absent)."""
    return lambda name: need_shared(VCLUSTER_REFERENCE / name)


@pytest.fixture(scope="session")
def reference_values(tmp_path_factory) -> Path:
    """A values file with the reference config (networkPolicy and resourceQuota enabled)."""
    path = tmp_path_factory.mktemp("reference-values") / "values.yaml"
    path.write_text(REFERENCE_VALUES)
    return path


@pytest.fixture(scope="session")
def reference_policies(reference_values) -> dict:
    """The reference config's policies, loaded by the real loader (no cache); shared: do not modify."""
    from helm_vnp.config import ValuesInput, load_config

    return load_config(ValuesInput([str(reference_values)]), use_cache=False).policies
