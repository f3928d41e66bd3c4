"""An ``except`` entry of the other address family than ``cidr`` is honoured (issue 13 item 5).

``publicEgress.except={10.0.0.0/8,2001:db8::/32}`` with the default ``cidr`` (0.0.0.0/0) used to drop the
IPv6 entry silently while ``validate`` said valid: pods still reached 2001:db8::/32 through ``::/0``.
"""
from __future__ import annotations

from helm_vnp.generate import generate_all
from tests.config.helpers import errors, load
from tests.generate.inputs import NAMESPACE, RELEASE, WORKLOADS
from tests.generate.netsim import allowed
from tests.generate.test_networkpolicy import WEB

VALUES = """\
policies:
  networkPolicy:
    enabled: true
    workload:
      publicEgress:
        except: [10.0.0.0/8, 2001:db8::/32]
"""


def test_ipv6_except_without_cidr_is_kept_out(tmp_path):
    objs = generate_all(load(tmp_path, VALUES).policies, RELEASE, NAMESPACE, WORKLOADS)
    assert not allowed(objs, WEB, "2001:db8::1", 443)
    assert not allowed(objs, WEB, "10.1.2.3", 443)
    assert allowed(objs, WEB, "2001:4860::1", 443)  # the rest of ::/0 is still public egress
    assert allowed(objs, WEB, "1.1.1.1", 443)


def test_ipv6_except_under_an_ipv4_cidr_the_user_wrote_is_refused(tmp_path):
    found = errors(tmp_path, VALUES.replace("        except:", "        cidr: 0.0.0.0/0\n        except:"))
    assert any("2001:db8::/32" in e and "IPv6 but cidr 0.0.0.0/0 is IPv4" in e for e in found), found
