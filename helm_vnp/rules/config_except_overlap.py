"""config.exceptOverlap: ``except`` entries that repeat or contain one another.

**What it checks.** Every ipBlock of the config - ``publicEgress`` (and its
``extraIpBlocks``) and the ``ipBlock`` peers of extra rules - for ``except``
entries that are identical, or that lie inside another entry of the same list.

**Why.** The smaller entry does nothing: the larger one already cuts that
range out.  Harmless to the cluster, but it usually means a typo or a
misunderstanding of the range (``10.0.0.0/8`` already covers ``10.96.0.0/12``),
and it makes the list harder to audit.  (Entries outside ``cidr`` are a schema
error, reported by ``config.schema``.)

**Example that triggers it**::

    policies:
      networkPolicy:
        workload:
          publicEgress:
            cidr: 0.0.0.0/0
            except: [10.0.0.0/8, 10.96.0.0/12]

**Fix.** Remove the contained entry, or correct it if another range was meant.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable

from helm_vnp.config.rule_paths import ip_blocks
from helm_vnp.release.model import ObjectRef, Release
from helm_vnp.rules.rule import Finding, Rule

RULE = Rule(id="config.exceptOverlap", severity="info",
            summary="ipBlock except entries that duplicate or contain one another")


def check(release: Release, options: dict) -> Iterable[Finding]:
    for path, block in ip_blocks(release.policies):
        nets = []
        for i, text in enumerate(block.get("except") or []):
            try:
                nets.append((i, text, ipaddress.ip_network(str(text), strict=False)))
            except ValueError:
                continue
        # CIDRs are nested or disjoint: sorted by (family, start, size - largest first, position), each entry
        # lies inside the last one that still covers it.  One sweep, not every pair (lists may be long).
        nets.sort(key=lambda t: (t[2].version, int(t[2].network_address), t[2].prefixlen, t[0]))
        found = []
        stack: list = []
        for i, text, net in nets:
            while stack and (stack[-1][2].version != net.version or not net.subnet_of(stack[-1][2])):
                stack.pop()
            if stack:
                j, other_text, other = stack[-1]
                if net == other and i < j:  # report the later of two duplicates
                    i, text, j, other_text = j, other_text, i, text
                found.append((i, text, "repeats" if net == other else "lies inside", other_text, j))
            stack.append((i, text, net))
        for i, text, what, other_text, j in sorted(found):
            at = f"{path}.except[{i}]"
            yield Finding(RULE.id, RULE.severity,
                          f"{at}: {text} {what} {other_text} (except[{j}]) and has no effect",
                          ObjectRef(), release.config_source(at))
