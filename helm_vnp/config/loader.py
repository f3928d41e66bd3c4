"""Values files + --set flags -> one validated ``LoadedConfig`` (the slow path; the cache
in ``cache.py`` skips it when nothing changed).

Order, as in Helm: -f files (later wins, maps merge, lists replace), then --set-json,
--set, --set-string. Then: schema + custom checks, layout mixing, legacy conversion,
coalescing onto the defaults (a null deletes), normalisation into ``model.Policies``.
"""
from __future__ import annotations

from typing import Sequence

from helm_vnp.base.errors import Problem
from helm_vnp.config import legacy, limit_order, normalise, quota_scopes
from helm_vnp.config.defaults import DEFAULT_POLICIES
from helm_vnp.config.merge import coalesce, merge_maps, strip_nulls
from helm_vnp.config.result import LoadedConfig
from helm_vnp.config.sources import Source, apply_set_flags, final_origins, parse_values_file

OUR_KEYS = ("policies", "isolation", "mapServices")  # mapServices: vCluster's top-level key


def merged_values(files: Sequence[tuple[str, bytes]],
                  flags: Sequence[tuple[str, str]]) -> tuple[dict, list[Source], list[Problem]]:
    """The user's values as Helm combines them (nulls kept), the sources, and read/parse problems."""
    errors: list[Problem] = []
    sources: list[Source] = []
    merged: dict = {}
    for name, raw in files:
        src, probs = parse_values_file(name, raw)
        errors += probs
        if src is not None:
            sources.append(src)
            merged = merge_maps(merged, src.data)
    merged, set_sources, probs = apply_set_flags(merged, flags)
    return merged, sources + set_sources, errors + probs


def load(files: Sequence[tuple[str, bytes]],
         flags: Sequence[tuple[str, str]]) -> tuple[LoadedConfig | None, list[Problem]]:
    """(config, problems): config is None when any problem is an error; problems holds
    the errors (sorted, all of them) or else the warnings."""
    merged, sources, errors = merged_values(files, flags)

    doc = {k: merged[k] for k in OUR_KEYS if k in merged}
    origins = final_origins(doc, sources)
    source_rank = {s.name: i for i, s in enumerate(sources)}

    def locate(path: str) -> tuple:
        while True:
            if path in origins:
                return origins[path]
            if not path:
                return (None, None)
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""

    def order(p: Problem) -> tuple:
        return (source_rank.get(p.file, len(source_rank)), p.line or 0, p.path, p.message)

    warnings = _near_misses(merged, sources)
    stripped = strip_nulls(doc)
    from helm_vnp.config.validate import validate

    if stripped:  # nothing given (no values, or none of ours): valid by construction, no validator to build
        errors += validate(stripped, locate, order)  # (tests/config pins that the schema accepts {})
    errors += _surrogates(stripped, locate)
    errors += legacy.mixed_layouts(stripped, locate)
    policies_user = legacy.to_new_layout(doc.get("policies"))
    policies_user, iso_errors, iso_warnings = legacy.convert_isolation(stripped.get("isolation"), policies_user, locate)
    errors += iso_errors
    warnings += iso_warnings
    if isinstance(stripped.get("policies"), dict) and "centralAdmission" in stripped["policies"]:
        file, line = locate("policies.centralAdmission")
        warnings.append(Problem("not supported by helm-vnp: policies.centralAdmission is ignored "
                                "(vCluster enforces it with its syncer, which a plain Helm release does not have)",
                                path="policies.centralAdmission", file=file, line=line))
    if errors:
        return None, _unique(sorted(errors, key=order))
    coalesced = coalesce(policies_user, DEFAULT_POLICIES)
    coalesced.pop("centralAdmission", None)
    policies = normalise.build(coalesced)
    policies["mapServices"] = normalise.map_services(stripped.get("mapServices"))
    user_rq = (policies_user or {}).get("resourceQuota") if isinstance(policies_user, dict) else None
    user_quota = user_rq.get("quota") if isinstance(user_rq, dict) and isinstance(user_rq.get("quota"), dict) else {}
    scope_errors, scope_warnings = quota_scopes.check(policies, user_quota, locate)
    user_lr = (policies_user or {}).get("limitRange") if isinstance(policies_user, dict) else None
    scope_errors += limit_order.check(policies, user_lr if isinstance(user_lr, dict) else {}, locate)
    scope_errors += limit_order.check_quota(policies, locate)
    if scope_errors:
        return None, _unique(sorted(scope_errors, key=order))
    warnings += scope_warnings
    config = LoadedConfig(policies=policies, warnings=sorted(warnings, key=order), origins=origins)
    return config, config.warnings


def _near_misses(values: dict, sources: list[Source]) -> list[Problem]:
    """Warn about top-level keys that look like a misspelt ``policies`` (they would be ignored)."""
    out = []
    keys = dict.fromkeys(values)
    for s in sources:
        keys.update(dict.fromkeys(s.top))
    for key in keys:
        if key in OUR_KEYS:
            continue
        import difflib  # only for a suggestion: not on every start
        close = difflib.get_close_matches(key, OUR_KEYS, n=1, cutoff=0.8)
        if close:
            file, line = next((s.top.get(key) or s.origins[key] for s in reversed(sources)
                               if key in s.top or key in s.origins), (None, None))
            out.append(Problem(f'top-level key "{key}" is not read by helm-vnp', path=key, file=file, line=line,
                               hint=f'did you mean "{close[0]}"?'))
    return out


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.path, p.message, p.file, p.line)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _surrogates(doc: dict, locate) -> list[Problem]:
    """Strings holding a lone surrogate (``"\\udfff"`` in a values file, ``--set-json``): no valid
    Unicode, so no Kubernetes object can carry them; refused where they are, not when writing."""
    from helm_vnp.config.paths import join

    out = []
    stack = [([key], value) for key, value in doc.items() if key in OUR_KEYS]
    while stack:
        path, value = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for k, v in items:
            if isinstance(k, str) and not k.isascii() and _has_surrogate(k) or \
                    isinstance(v, str) and not v.isascii() and _has_surrogate(v):
                where = join(path + [k])
                file, line = locate(where)
                out.append(Problem("a lone surrogate (an escape such as \\udfff): not valid Unicode", path=where,
                                   file=file, line=line, expected="text that is valid Unicode"))
            elif isinstance(v, (dict, list)):
                stack.append((path + [k], v))
    return out


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
