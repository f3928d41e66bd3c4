"""Labels and annotations of every object the chart renders: forbidden keys (on the objects and on the pod
templates their pods are made from) and the labels every object must carry."""
from __future__ import annotations

from helm_vnp.base.names import PROJECT_LABEL, RELEASE_LABEL
from helm_vnp.release.tenant.base import TenantRule, Violation
from helm_vnp.release.tenant.common import (
    checked,
    describe_denied,
    dotted,
    forbidden,
    pod_metadata_paths,
    view,
)

KEY = "metadata"
ANY_VALUE = "*"
VNP_LABELS = frozenset({RELEASE_LABEL, PROJECT_LABEL})  # what vnp itself writes into pod templates

RULES = (
    TenantRule("tenant.forbiddenLabel", "a label the tenant may not set", """\
A label key matching `policies.tenant.metadata.forbiddenLabels` (`denied` exact keys, `deniedRegex`), on any
object the chart renders or on the pod template of a pod-creating object (its pods would carry it). Capsule
forbids such labels on namespaces and Services; at render time helm-vnp checks every object of the release.

Why: platform labels select objects for the platform's own policies (a NetworkPolicy admitting
`platform.example.com/trusted: "true"` pods, a monitoring or backup selector); a tenant that sets them
claims what it was not given. The labels vnp itself adds (`vnp.helm-plugin.io/release`,
`vcluster.io/project`) on pod templates are its own and are not reported there.

```yaml
policies:
  tenant:
    metadata:
      forbiddenLabels:
        deniedRegex: ^platform\\.example\\.com/
```
"""),
    TenantRule("tenant.forbiddenAnnotation", "an annotation the tenant may not set", """\
An annotation key matching `policies.tenant.metadata.forbiddenAnnotations`, on any object the chart renders or
on a pod template.
"""),
    TenantRule("tenant.requiredLabel", "an object without a label the tenant must set", """\
An object of the chart without a label of `policies.tenant.metadata.requiredLabels` (key -> value), or with
another value; the value `*` accepts any value (a null in Helm values deletes the key, so it cannot say
"any value").
"""),
)


def check(docs: list, config: dict, declared: tuple) -> list[Violation]:
    out: list[Violation] = []
    labels_spec, ann_spec = config.get("forbiddenLabels"), config.get("forbiddenAnnotations")
    required = config.get("requiredLabels") or {}
    templates = {id(d) for d in checked(docs, declared)} if labels_spec is not None or ann_spec is not None else set()
    for doc in docs:
        if doc.is_empty or not doc.kind:
            continue
        labels, annotations = doc.labels, doc.annotations  # as Kubernetes decodes them
        out += _forbidden(doc, ("metadata",), labels, annotations, labels_spec, ann_spec, ())
        if id(doc) in templates:
            from helm_vnp.base.tree import value_at
            obj = view(doc)
            for path in pod_metadata_paths(doc, obj, declared):
                meta = value_at(obj, path)
                if path == ("metadata",) or not isinstance(meta, dict):  # a Pod: its own metadata, checked above
                    continue
                t_labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
                t_ann = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
                out += _forbidden(doc, path, t_labels, t_ann, labels_spec, ann_spec, VNP_LABELS)
        for key, value in sorted(required.items()):
            have = labels.get(key)
            if have is None:
                out.append(Violation("tenant.requiredLabel", doc, "metadata.labels",
                                     f"no {key!r} label (policies.tenant.metadata.requiredLabels)"))
            elif value != ANY_VALUE and have != value:
                out.append(Violation("tenant.requiredLabel", doc, dotted(("metadata", "labels", key)),
                                     f"label {key!r} is {have!r}, not {value!r} "
                                     "(policies.tenant.metadata.requiredLabels)"))
    return out


def _forbidden(doc, path: tuple, labels: dict, annotations: dict, labels_spec, ann_spec, exempt) -> list[Violation]:
    out = []
    where = "its pod template carries" if len(path) > 1 else "carries"
    for field, values, spec, rule in (("labels", labels, labels_spec, "tenant.forbiddenLabel"),
                                      ("annotations", annotations, ann_spec, "tenant.forbiddenAnnotation")):
        if spec is None:
            continue
        for key in values:
            if isinstance(key, str) and key not in exempt and forbidden(key, spec):
                out.append(Violation(rule, doc, dotted(path + (field, key)),
                                     f"{where} the forbidden {field[:-1]} {key!r} ({describe_denied(spec)})"))
    return out
