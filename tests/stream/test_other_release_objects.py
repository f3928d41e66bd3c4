"""vnp replaces its own objects from an earlier pass, and only those of this release."""
from __future__ import annotations

from helm_vnp.release.pipeline import post_render
from helm_vnp.stream import split

CHART = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n"


def test_another_releases_generated_objects_pass_through(reference_policies):
    p = reference_policies
    other = post_render(b"", p, "other", "team-b").output  # committed `helm-vnp generate` output of another release
    data = CHART + other
    out = post_render(data, p, "app", "team-a").output
    assert out.startswith(data), "another release's objects were dropped or altered"
    mine = [d for d in split(out[len(data):]) if not d.is_empty]
    assert [d.name for d in mine] == ["vnp-app-workload", "vnp-app", "vnp-app"]
    assert post_render(out, p, "app", "team-a").output == out  # and our own are still replaced, not duplicated
