"""Where the user's network rules and ipBlocks live in the canonical config, with their dotted paths."""
from __future__ import annotations

from typing import Iterator

NETPOL = "policies.networkPolicy"
RULE_LISTS = (("workload", "ingress", "from"), ("workload", "egress", "to"),
              ("controlPlane", "ingress", "from"), ("controlPlane", "egress", "to"))


def user_rules(policies: dict) -> Iterator[tuple[str, str, str, int, dict]]:
    """(section, direction, peer key, index, rule) of every extra rule the user wrote."""
    netpol = policies["networkPolicy"]
    for section, direction, peer_key in RULE_LISTS:
        for i, rule in enumerate(netpol[section][direction]):
            if isinstance(rule, dict):
                yield section, direction, peer_key, i, rule


def ip_blocks(policies: dict) -> Iterator[tuple[str, dict]]:
    """(config path of the block, {"cidr", "except"}) for public egress and every user rule's ipBlock."""
    public = policies["networkPolicy"]["workload"]["publicEgress"]
    for i, block in enumerate(public["ipBlocks"]):
        path = f"{NETPOL}.workload.publicEgress" if i == 0 else f"{NETPOL}.workload.publicEgress.extraIpBlocks[{i - 1}]"
        yield path, block
    for section, direction, peer_key, i, rule in user_rules(policies):
        for j, peer in enumerate(rule.get(peer_key) or []):
            if isinstance(peer, dict) and isinstance(peer.get("ipBlock"), dict):
                yield f"{NETPOL}.{section}.{direction}[{i}].{peer_key}[{j}].ipBlock", peer["ipBlock"]
