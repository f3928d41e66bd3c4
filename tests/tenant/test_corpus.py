"""The tenant rules on the real rendered streams of ../shared/corpus (skipped, saying why, when absent), through
the post-renderer in warn mode (every violation, none refused), compared with what a separate, simpler reading of
the same stream finds: a line scan for images, a plain YAML walk of the core workloads' containers."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from ruamel.yaml import YAML

from helm_vnp.release.pipeline import post_render
from tests.tenant.kit import TENANT, policies

STREAMS = ("ingress-nginx.yaml", "cert-manager.yaml", "kube-prometheus-stack.yaml")
_IMAGE_LINE = re.compile(r"^\s+(?:- )?image: ['\"]?([^'\"\s]+)['\"]?\s*$", re.M)
POD_PATHS = {"Deployment": ("spec", "template", "spec"), "DaemonSet": ("spec", "template", "spec"),
             "StatefulSet": ("spec", "template", "spec"), "Job": ("spec", "template", "spec"),
             "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"), "Pod": ("spec",)}


def warnings_of(tmp_path, data: bytes, config: str, release: str = "x") -> list[str]:
    p = policies(tmp_path, TENANT + "    mode: warn\n" + config)
    result = post_render(data, p, release, "team-a")
    return [str(w) for w in result.warnings if ": tenant." in str(w)]


def host(image: str) -> str:
    first, _, rest = image.partition("/")
    return first if rest and ("." in first or ":" in first) else "docker.io"


@pytest.mark.parametrize("name", STREAMS)
def test_every_image_not_from_quay_is_reported_and_no_other(tmp_path, corpus, name):
    data = corpus(name).read_bytes()
    found = warnings_of(tmp_path, data, "    images:\n      registries: {allowed: [quay.io]}\n")
    reported = Counter(re.search(r"image '([^']+)'", w).group(1) for w in found)
    expected = Counter(i for i in _IMAGE_LINE.findall(data.decode()) if host(i) != "quay.io")
    assert reported == expected
    assert all("tenant.imageRegistry" in w for w in found)
    if name == "kube-prometheus-stack.yaml":  # Docker Hub, ghcr.io and registry.k8s.io images are in the chart
        assert {host(i) for i in reported} == {"docker.io", "ghcr.io", "registry.k8s.io"}


@pytest.mark.parametrize("name", STREAMS)
def test_unpinned_images_match_the_ones_without_a_digest(tmp_path, corpus, name):
    data = corpus(name).read_bytes()
    found = warnings_of(tmp_path, data, "    images: {requireDigest: true}\n")
    reported = Counter(re.search(r"image '([^']+)'", w).group(1) for w in found)
    assert reported == Counter(i for i in _IMAGE_LINE.findall(data.decode()) if "@" not in i)
    if name == "ingress-nginx.yaml":
        assert not reported  # its chart pins every image by digest
    else:
        assert reported


def _containers_without_memory_limits(data: bytes) -> set:
    out = set()
    for obj in YAML(typ="safe").load_all(data.decode()):
        if not isinstance(obj, dict) or obj.get("kind") not in POD_PATHS:
            continue
        spec = obj
        for key in POD_PATHS[obj["kind"]]:
            spec = (spec or {}).get(key)
        for list_name in ("initContainers", "containers"):
            for i, c in enumerate((spec or {}).get(list_name) or []):
                limits = ((c.get("resources") or {}).get("limits") or {})
                if "memory" not in limits:
                    out.add((obj["kind"], obj["metadata"]["name"], f"{list_name}[{i}]"))
    return out


@pytest.mark.parametrize("name", ("ingress-nginx.yaml", "kube-prometheus-stack.yaml"))
def test_missing_memory_limits_match_a_plain_walk(tmp_path, corpus, name):
    data = corpus(name).read_bytes()
    found = warnings_of(tmp_path, data, "    resources: {requireLimits: [memory]}\n")
    got = set()
    for w in found:
        m = re.match(r"(\w+) ([\w.-]+): tenant\.resourceLimits: [\w.]*?\b((?:initC|c)ontainers\[\d+\])", w)
        assert m, w
        got.add(m.groups())
    expected = _containers_without_memory_limits(data)
    assert got == expected and expected  # the charts' defaults set no memory limits


def test_the_helm4_post_render_input_is_located_by_its_filename_annotation(tmp_path, corpus):
    from helm_vnp.base.errors import VnpError
    data = corpus("postrender-input/ingress-nginx.yaml").read_bytes()
    p = policies(tmp_path, TENANT + "    images: {registries: {allowed: [quay.io]}}\n")
    with pytest.raises(VnpError) as info:
        post_render(data, p, "ingress-nginx", "ingress-nginx")
    files = {problem.file for problem in info.value.problems}
    assert "ingress-nginx/templates/controller-deployment.yaml" in files
    assert len(info.value.problems) == len(_IMAGE_LINE.findall(data.decode()))
