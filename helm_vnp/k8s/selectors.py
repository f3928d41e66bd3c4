"""Label selectors as written: which are malformed, and how the API server reads them.

Two shapes exist.  A ``LabelSelector`` (NetworkPolicy ``podSelector`` and
``namespaceSelector``, PodDisruptionBudget ``spec.selector``, controllers'
``spec.selector``) has exactly two fields, ``matchLabels`` and
``matchExpressions``; ``{}`` selects everything.  A Service's (and a
ReplicationController's) ``selector`` is a plain ``label: value`` map.

Writing one shape where the other is expected is the classic slip:
``podSelector: {app: web}`` has no ``matchLabels``; the key ``app`` is an
unknown field, which the API server drops unless the client asked for strict
field validation, leaving ``{}``, the selector of *everything*.  A Service
``selector: {matchLabels: {app: web}}`` holds a map where a string must be,
and is rejected.  A ``matchExpressions`` item the API validation refuses
(an unknown operator, ``In``/``NotIn`` without values, ``Exists`` with values)
fails the install.
"""
from __future__ import annotations

SELECTOR_FIELDS = ("matchLabels", "matchExpressions")
OPERATORS_WITH_VALUES = ("In", "NotIn")
OPERATORS_WITHOUT_VALUES = ("Exists", "DoesNotExist")


def label_selector_problem(selector) -> str | None:
    """What is wrong with a ``LabelSelector`` as written, or None when it is well-formed (None and
    ``{}`` are well-formed: they are absent and "everything")."""
    if selector is None:
        return None
    if not isinstance(selector, dict):
        return f"is {type(selector).__name__}, not a label selector (matchLabels / matchExpressions)"
    unknown = [str(k) for k in selector if k not in SELECTOR_FIELDS]
    if unknown:
        keys = ", ".join(unknown)
        if not any(selector.get(k) for k in SELECTOR_FIELDS):
            return (f"has {keys} but no matchLabels or matchExpressions: the API server drops the unknown "
                    "key(s) (unless the client validates fields strictly) and reads what is left, {}, as "
                    "every pod or namespace")
        return f"has unknown key(s) {keys} next to matchLabels/matchExpressions: they are dropped, not matched"
    labels = selector.get("matchLabels")
    if labels is not None and not isinstance(labels, dict):
        return "matchLabels is not a label: value map"
    if isinstance(labels, dict):
        nested = [str(k) for k, v in labels.items() if isinstance(v, (dict, list))]
        if nested:
            return f"matchLabels value of {', '.join(nested)} is not a string: the API server rejects it"
    expressions = selector.get("matchExpressions")
    if expressions is not None and not isinstance(expressions, list):
        return "matchExpressions is not a list"
    for i, req in enumerate(expressions or []):
        problem = _requirement_problem(req)
        if problem:
            return f"matchExpressions[{i}] {problem}"
    return None


def _requirement_problem(req) -> str | None:
    if not isinstance(req, dict) or not req.get("key"):
        return "has no key: the API server rejects it"
    op, values = req.get("operator"), req.get("values")
    if op in OPERATORS_WITH_VALUES:
        return None if isinstance(values, list) and values else f"uses {op} without values: the API server rejects it"
    if op in OPERATORS_WITHOUT_VALUES:
        return f"uses {op} with values: the API server rejects it" if values else None
    return f"has operator {op!r} (expected In, NotIn, Exists or DoesNotExist): the API server rejects it"


def plain_selector_problem(selector) -> str | None:
    """What is wrong with a Service's ``label: value`` selector as written, or None."""
    if selector is None or selector == {}:
        return None
    if not isinstance(selector, dict):
        return f"is {type(selector).__name__}, not a label: value map"
    nested = [str(k) for k, v in selector.items() if isinstance(v, (dict, list))]
    if nested:
        which = ", ".join(nested)
        hint = " (a LabelSelector written where a plain map belongs)" if set(nested) & set(SELECTOR_FIELDS) else ""
        return f"holds a map or list under {which}{hint}: a Service selector is label: value, the API server " \
               "rejects it"
    return None


def shown(selector) -> str:
    """A selector as one line for a message (JSON flow style, keys sorted)."""
    import json
    return json.dumps(selector, sort_keys=True, separators=(", ", ": "), default=str)
