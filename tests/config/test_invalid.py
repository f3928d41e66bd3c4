"""Invalid configurations and the exact message each one gets (file:line: path: what, expected)."""
import pytest

from tests.config.helpers import errors

CASES = [
    pytest.param('policies:\n  podSecurityStandard: strict\n',
                 'values.yaml:2: policies.podSecurityStandard: "strict" is not one of "", "privileged", "baseline", '
                 '"restricted"',
                 id='pss'),
    pytest.param('policies:\n  netwrokPolicy: {}\n',
                 'values.yaml:2: policies.netwrokPolicy: unknown key "netwrokPolicy" (did you mean "networkPolicy"?)',
                 id='typo_top'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      publicEgres: {}\n',
                 'values.yaml:4: policies.networkPolicy.workload.publicEgres: unknown key "publicEgres" (did you mean '
                 '"publicEgress"?)',
                 id='typo_deep'),
    pytest.param('policies:\n  resourceQuota:\n    zzz: 1\n',
                 'values.yaml:3: policies.resourceQuota.zzz: unknown key "zzz" (allowed keys: annotations, enabled, '
                 'labels, quota, scopeSelector, scopes)',
                 id='unknown_no_match'),
    pytest.param('policies: [a]\n',
                 'values.yaml:1: policies: expected a mapping, got a list',
                 id='policies_list'),
    pytest.param("policies:\n  networkPolicy:\n    enabled: 'yes'\n",
                 'values.yaml:3: policies.networkPolicy.enabled: expected true or false, got the string "yes"',
                 id='enabled_string'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      ingress:\n      - from: []\n',
                 'values.yaml:5: policies.networkPolicy.workload.ingress[0].from: an empty `from` list allows every '
                 'source: omit `from` to say so, or name the peers',
                 id='empty_from'),
    pytest.param('policies:\n  networkPolicy:\n    extraWorkloadRules:\n    - to: []\n      ports: [{port: 5432}]\n',
                 'values.yaml:4: policies.networkPolicy.extraWorkloadRules[0].to: an empty `to` list allows every '
                 'destination: omit `to` to say so, or name the peers',
                 id='empty_to_legacy'),
    pytest.param('policies:\n  networkPolicy:\n    fallbackDns: 8.8.8\n',
                 'values.yaml:3: policies.networkPolicy.fallbackDns: "8.8.8" is not a valid IP address',
                 id='fallback_dns'),
    pytest.param('policies:\n  networkPolicy:\n    outgoingConnections:\n      ipBlock:\n        cidr: 10.0.0.1/8\n',
                 'values.yaml:5: policies.networkPolicy.outgoingConnections.ipBlock.cidr: "10.0.0.1/8" is not a valid '
                 'CIDR: host bits must be zero (did you mean "10.0.0.0/8"?)',
                 id='cidr_host_bits'),
    # found by tests/cluster: the v1.37 API server refuses IPv4-mapped IPv6 in an ipBlock (strict IP validation)
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n        - to:\n            - ipBlock:\n'
                 '                cidr: "::ffff:10.0.0.0/104"\n',
                 'values.yaml:7: policies.networkPolicy.workload.egress[0].to[0].ipBlock.cidr: '
                 '"::ffff:10.0.0.0/104" is an IPv4-mapped IPv6 address: the API server refuses it '
                 '(Kubernetes 1.33+ validates IPs strictly); '
                 'such traffic is IPv4 on the wire (write the IPv4 form, "10.0.0.0/8")',
                 id='cidr_v4_mapped'),
    # found by tests/cluster (hypothesis): a user default below vnp's default request made a LimitRange the API
    # server refuses
    pytest.param('policies:\n  resourceQuota:\n    enabled: true\n  limitRange:\n    default:\n      cpu: "0"\n',
                 'values.yaml:6: policies.limitRange.default.cpu: default request value 100m is greater than default '
                 'limit value 0: the API server refuses the LimitRange (set policies.limitRange.defaultRequest[cpu] '
                 'too, or keep the order min <= defaultRequest <= default <= max)',
                 id='limitrange_order'),
    # found the same way: resources a Container item cannot hold, counts that are not whole, overcommit
    pytest.param('policies:\n  resourceQuota:\n    enabled: true\n  limitRange:\n    default:\n      storage: 1Gi\n',
                 'values.yaml:6: policies.limitRange.default.storage: "storage": must be a standard resource for '
                 'containers: the API server refuses the LimitRange (type Container)',
                 id='limitrange_container_resource'),
    pytest.param('policies:\n  resourceQuota:\n    enabled: true\n    quota:\n      pods: 100m\n',
                 'values.yaml:5: policies.resourceQuota.quota.pods: pods: "100m" must be an integer: the API server '
                 'refuses the ResourceQuota (a count of objects or of an extended resource)',
                 id='quota_integer'),
    pytest.param('policies:\n  limitRange:\n    enabled: true\n    defaultRequest:\n      nvidia.com/gpu: "0"\n'
                 '    max:\n      nvidia.com/gpu: "1"\n',
                 'values.yaml:5: policies.limitRange.defaultRequest["nvidia.com/gpu"]: default value 1 must equal to '
                 'defaultRequest value 0 in nvidia.com/gpu: the API server refuses the LimitRange (it cannot be '
                 'overcommitted)',
                 id='limitrange_overcommit'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n        cidr: everywhere\n',
                 'values.yaml:5: policies.networkPolicy.workload.publicEgress.cidr: "everywhere" is not a valid CIDR '
                 '(expected e.g. 10.0.0.0/8 or 2001:db8::/32)',
                 id='cidr_garbage'),
    pytest.param('policies:\n  networkPolicy:\n    outgoingConnections:\n      ipBlock:\n        cidr: 10.0.0.0/8\n'
                 '        except: [10.1.0.0/16, 11.0.0.0/8, 10.3.0.0/16]\n',
                 'values.yaml:6: policies.networkPolicy.outgoingConnections.ipBlock.except[1]: "11.0.0.0/8" is not '
                 'strictly inside cidr 10.0.0.0/8 (each except entry must be a smaller range within cidr)',
                 id='except_outside'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n'
                 '      publicEgress: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}\n',
                 'values.yaml:4: policies.networkPolicy.workload.publicEgress.except[0]: "10.0.0.0/8" is not strictly '
                 'inside cidr 10.0.0.0/8 (each except entry must be a smaller range within cidr)',
                 id='except_equal'),
    pytest.param("policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n"
                 "        extraIpBlocks: [{cidr: '::/0', except: [10.0.0.0/8]}]\n",
                 'values.yaml:5: policies.networkPolicy.workload.publicEgress.extraIpBlocks[0].except[0]: "10.0.0.0/8" '
                 'is IPv4 but cidr ::/0 is IPv6',
                 id='except_family'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      publicEgress: {except: [10.3.0.0]}\n',
                 'values.yaml:4: policies.networkPolicy.workload.publicEgress.except[0]: "10.3.0.0" is not a CIDR: the '
                 '/prefix length is missing (did you mean "10.3.0.0/32"?)',
                 id='except_no_prefix'),
    pytest.param("policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n"
                 "        extraIpBlocks: [{cidr: '::/129'}]\n",
                 'values.yaml:5: policies.networkPolicy.workload.publicEgress.extraIpBlocks[0].cidr: "::/129" is not a '
                 'valid CIDR (expected e.g. 10.0.0.0/8 or 2001:db8::/32)',
                 id='ipv6_prefix'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      publicEgress:\n'
                 '        extraIpBlocks: [{except: []}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.publicEgress.extraIpBlocks[0]: missing required key '
                 '"cidr"',
                 id='extra_missing_cidr'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n      - ports: [{port: 0}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].port: invalid value 0: expected a '
                 'port number 1-65535 or a named port (IANA service name: lowercase letters, digits and single inner '
                 'hyphens, at most 15 characters, at least one letter)',
                 id='port_range'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n      - ports: [{port: Http}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].port: invalid value "Http": '
                 'expected a port number 1-65535 or a named port (IANA service name: lowercase letters, digits and '
                 'single inner hyphens, at most 15 characters, at least one letter)',
                 id='port_name'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n'
                 '      - ports: [{port: abcdefghijklmnop}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].port: invalid value '
                 '"abcdefghijklmnop": expected a port number 1-65535 or a named port (IANA service name: lowercase '
                 'letters, digits and single inner hyphens, at most 15 characters, at least one letter)',
                 id='port_name_long'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n      - ports: [{port: my--port}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].port: invalid value "my--port": '
                 'expected a port number 1-65535 or a named port (IANA service name: lowercase letters, digits and '
                 'single inner hyphens, at most 15 characters, at least one letter)',
                 id='port_name_double_hyphen'),
    pytest.param("policies:\n  networkPolicy:\n    workload:\n      egress:\n      - ports: [{port: '123'}]\n",
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].port: invalid value "123": '
                 'expected a port number 1-65535 or a named port (IANA service name: lowercase letters, digits and '
                 'single inner hyphens, at most 15 characters, at least one letter)',
                 id='port_digits_only_string'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n'
                 '      - ports: [{port: http, endPort: 90}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].port: endPort needs a numeric '
                 'port, not a named one',
                 id='endport_named'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n      - ports: [{endPort: 90}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0]: endPort needs a numeric port',
                 id='endport_no_port'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n'
                 '      - ports: [{port: 100, endPort: 90}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].endPort: endPort 90 is smaller '
                 'than port 100 (endPort must be >= port)',
                 id='endport_smaller'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n'
                 '      - ports: [{port: 53, protocol: udp}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].ports[0].protocol: "udp" is not one of '
                 '"TCP", "UDP", "SCTP"',
                 id='protocol'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress:\n'
                 '      - to: [{ipBlock: {cidr: 1.2.3.0/24}, namespaceSelector: {}}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.egress[0].to[0]: ipBlock cannot be combined with '
                 'podSelector or namespaceSelector in one peer; use separate peers',
                 id='peer_mixed'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      ingress:\n      - from: [{}]\n',
                 'values.yaml:5: policies.networkPolicy.workload.ingress[0].from[0]: a peer needs podSelector, '
                 'namespaceSelector or ipBlock',
                 id='peer_empty'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      ingress:\n      - to: []\n',
                 'values.yaml:5: policies.networkPolicy.workload.ingress[0].to: unknown key "to" (allowed keys: from, '
                 'ports)',
                 id='rule_unknown_key'),
    pytest.param('policies:\n  networkPolicy:\n    controlPlane:\n      selector:\n'
                 '        matchExpressions: [{key: app, operator: In}]\n',
                 'values.yaml:5: policies.networkPolicy.controlPlane.selector.matchExpressions[0]: operator In and '
                 'NotIn need a non-empty values list',
                 id='op_in_no_values'),
    pytest.param('policies:\n  networkPolicy:\n    controlPlane:\n      selector:\n'
                 '        matchExpressions: [{key: app, operator: NotIn, values: []}]\n',
                 'values.yaml:5: policies.networkPolicy.controlPlane.selector.matchExpressions[0].values: values must '
                 'not be empty when operator is In or NotIn',
                 id='op_in_empty_values'),
    pytest.param('policies:\n  networkPolicy:\n    controlPlane:\n      selector:\n'
                 '        matchExpressions: [{key: app, operator: Exists, values: [x]}]\n',
                 'values.yaml:5: policies.networkPolicy.controlPlane.selector.matchExpressions[0].values: values must '
                 'be empty when operator is Exists or DoesNotExist',
                 id='op_exists_values'),
    pytest.param("policies:\n  networkPolicy:\n    controlPlane:\n      selector:\n"
                 "        matchExpressions: [{key: app, operator: Gt, values: ['1']}]\n",
                 'values.yaml:5: policies.networkPolicy.controlPlane.selector.matchExpressions[0].operator: "Gt" is '
                 'not one of "In", "NotIn", "Exists", "DoesNotExist"',
                 id='op_unknown'),
    pytest.param("policies:\n  networkPolicy:\n    labels: {'-bad': x}\n",
                 'values.yaml:3: policies.networkPolicy.labels.-bad: invalid key "-bad": expected a label key '
                 '(optional DNS prefix and \'/\', then up to 63 characters: letters, digits, \'-\', \'_\', \'.\', '
                 'starting and ending alphanumeric)',
                 id='label_key'),
    pytest.param('policies:\n  networkPolicy:\n    labels: {team: 5}\n',
                 "values.yaml:3: policies.networkPolicy.labels.team: expected a label value (at most 63 characters: "
                 "letters, digits, '-', '_', '.', starting and ending alphanumeric, or empty), got the number 5",
                 id='label_value_int'),
    pytest.param('policies:\n  resourceQuota:\n    quota: {requests.cpu: 10x}\n',
                 'values.yaml:3: policies.resourceQuota.quota["requests.cpu"]: invalid value "10x": expected a '
                 'non-negative Kubernetes quantity such as 500m, 128Mi, 2Gi or 10',
                 id='quantity'),
    pytest.param('policies:\n  limitRange:\n    default: {memory: -1Gi}\n',
                 'values.yaml:3: policies.limitRange.default.memory: invalid value "-1Gi": expected a non-negative '
                 'Kubernetes quantity such as 500m, 128Mi, 2Gi or 10',
                 id='quantity_negative'),
    pytest.param("policies:\n  resourceQuota:\n    quota: {'bad key!': 1}\n",
                 'values.yaml:3: policies.resourceQuota.quota["bad key!"]: invalid key "bad key!": expected a resource '
                 'name such as cpu, requests.memory or count/pods',
                 id='resource_name'),
    pytest.param('policies:\n  resourceQuota:\n    enabled: maybe\n',
                 'values.yaml:3: policies.resourceQuota.enabled: invalid value "maybe": expected true, false or "auto"',
                 id='rq_enabled'),
    pytest.param('policies:\n  resourceQuota:\n    scopes: [Sometimes]\n',
                 'values.yaml:3: policies.resourceQuota.scopes[0]: "Sometimes" is not one of "Terminating", '
                 '"NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity", '
                 '"VolumeAttributesClass"',
                 id='scopes'),
    pytest.param('policies:\n  podSecurityVersion: v1.38\n',
                 'values.yaml:2: policies.podSecurityVersion: invalid value "v1.38": expected "latest" or a Kubernetes '
                 'minor version v1.0 ... v1.37',
                 id='pss_version'),
    pytest.param('policies:\n  selection: everything\n',
                 'values.yaml:2: policies.selection: "everything" is not one of "podLabel", "workloadSelectors"',
                 id='selection'),
    pytest.param('policies:\n  podSecurity: {mode: audit}\n',
                 'values.yaml:2: policies.podSecurity.mode: "audit" is not one of "enforce", "warn"',
                 id='psmode'),
    pytest.param('policies:\n  podSecurity: {exemptions: [{kind: Deployment}]}\n',
                 'values.yaml:2: policies.podSecurity.exemptions[0]: missing required key "name"',
                 id='exemption_missing_name'),
    pytest.param('policies:\n  networkPolicy:\n    dns: {preset: coredns}\n',
                 'values.yaml:3: policies.networkPolicy.dns.preset: "coredns" is not one of "kube-dns", "nodelocal", '
                 '"openshift", "vcluster"',
                 id='dns_preset'),
    pytest.param('policies:\n  networkPolicy:\n    dns: {ports: []}\n',
                 'values.yaml:3: policies.networkPolicy.dns.ports: list must not be empty',
                 id='dns_ports'),
    pytest.param('policies:\n  networkPolicy:\n    dns: {ports: [53, 53]}\n',
                 'values.yaml:3: policies.networkPolicy.dns.ports: list items must be unique',
                 id='dns_ports_dup'),
    pytest.param('policies:\n  networkPolicy:\n    extraWorkloadRules: [{}]\n    workload:\n      egress: [{}]\n',
                 'values.yaml:3: policies.networkPolicy.extraWorkloadRules: same setting as '
                 'policies.networkPolicy.workload.egress: use either the v0.20-v0.30 layout or the v0.31+ one (keep '
                 'policies.networkPolicy.workload.egress and remove this key)',
                 id='mix_workload_rules'),
    pytest.param('policies:\n  networkPolicy:\n    outgoingConnections:\n      ipBlock: {cidr: 0.0.0.0/0}\n'
                 '    workload:\n      publicEgress: {enabled: true}\n',
                 'values.yaml:4: policies.networkPolicy.outgoingConnections.ipBlock: same setting as '
                 'policies.networkPolicy.workload.publicEgress: use either the v0.20-v0.30 layout or the v0.31+ one '
                 '(keep policies.networkPolicy.workload.publicEgress and remove this key)',
                 id='mix_public'),
    pytest.param('policies:\n  networkPolicy:\n    outgoingConnections: {platform: false}\n'
                 '    controlPlane: {platform: true}\n',
                 'values.yaml:3: policies.networkPolicy.outgoingConnections.platform: same setting as '
                 'policies.networkPolicy.controlPlane.platform: use either the v0.20-v0.30 layout or the v0.31+ one '
                 '(keep policies.networkPolicy.controlPlane.platform and remove this key)',
                 id='mix_platform'),
    pytest.param('isolation:\n  enabled: true\n  namespace: other\n',
                 'values.yaml:3: isolation.namespace: not supported: helm-vnp puts its objects in the release '
                 'namespace (remove it)',
                 id='iso_namespace'),
    pytest.param('isolation:\n  enabled: true\n  podSecurityStandard: restricted\npolicies:\n'
                 '  podSecurityStandard: baseline\n',
                 'values.yaml:3: isolation.podSecurityStandard: same setting as policies.podSecurityStandard, which '
                 'replaced it (remove this vCluster <= 0.19 key)',
                 id='iso_conflict'),
    pytest.param('isolation:\n  enabeld: true\n',
                 'values.yaml:2: isolation.enabeld: unknown key "enabeld" (did you mean "enabled"?)',
                 id='iso_typo'),
    pytest.param('policies:\n  networkPolicy: {enabled: true\n',
                 "values.yaml:3: invalid YAML: while parsing a flow mapping expected ',' or '}', "
                 "but got '<stream end>'",
                 id='yaml_error'),
    pytest.param('- a\n- b\n',
                 'values.yaml:1: a values file must be a mapping of keys to values, not a list',
                 id='yaml_list'),
    pytest.param('policies: {}\npolicies: {}\n',
                 'values.yaml:2: policies: duplicate key "policies" (first at line 1): say it once',
                 id='yaml_dup'),
    pytest.param('policies:\n  networkPolicy:\n    enabled: true\n    labels: {a: b}\n    enabled: false\n',
                 'values.yaml:5: policies.networkPolicy.enabled: duplicate key "enabled" (first at line 3): '
                 'say it once',
                 id='yaml_dup_nested'),
    pytest.param('policies:\n  networkPolicy:\n    workload:\n      egress: [null]\n',
                 'values.yaml:4: policies.networkPolicy.workload.egress[0]: expected a mapping, got null',
                 id='null_in_list'),
]


@pytest.mark.parametrize("text,message", CASES)
def test_invalid_config_message(tmp_path, text, message):
    assert errors(tmp_path, text) == [message]


def test_all_problems_are_reported_at_once_in_document_order(tmp_path):
    assert errors(tmp_path, """\
        policies:
          podSecurityStandard: strict
          networkPolicy:
            enabled: "no"
            workload:
              publicEgress:
                cidr: 10.0.0.1/8
          resourceQuota:
            quota: {requests.cpu: lots}
        """) == [
        'values.yaml:2: policies.podSecurityStandard: "strict" is not one of "", "privileged", "baseline", '
        '"restricted"',
        'values.yaml:4: policies.networkPolicy.enabled: expected true or false, got the string "no"',
        'values.yaml:7: policies.networkPolicy.workload.publicEgress.cidr: "10.0.0.1/8" is not a valid CIDR: '
        'host bits must be zero (did you mean "10.0.0.0/8"?)',
        'values.yaml:9: policies.resourceQuota.quota["requests.cpu"]: invalid value "lots": expected a non-negative '
        'Kubernetes quantity such as 500m, 128Mi, 2Gi or 10',
    ]


def test_load_config_raises_one_vnp_error_with_exit_code_2(tmp_path):
    from helm_vnp.base.errors import VnpError
    from helm_vnp.config import ValuesInput, load_config

    path = tmp_path / "v.yaml"
    path.write_text("policies: {selection: x, podSecurityStandard: y}\n")
    with pytest.raises(VnpError) as exc:
        load_config(ValuesInput([str(path)]), use_cache=False)
    assert exc.value.exit_code == 2 and len(exc.value.problems) == 2
    assert exc.value.render().startswith("error: 2 problems:\n  - ")


def test_set_values_name_the_flag(tmp_path):
    assert errors(tmp_path, sets=["policies.networkPolicy.workload.egress[0].ports[0].port=70000"]) == [
        "--set: policies.networkPolicy.workload.egress[0].ports[0].port: invalid value 70000: expected a port number "
        "1-65535 or a named port (IANA service name: lowercase letters, digits and single inner hyphens, at most 15 "
        "characters, at least one letter)"]


def test_set_syntax_error(tmp_path):
    assert errors(tmp_path, sets=["policies.networkPolicy.enabled"]) == [
        "--set: cannot parse --set at character 30: a key has no value (key policies.networkPolicy.enabled)"]


def test_set_json_error(tmp_path):
    assert errors(tmp_path, set_jsons=["policies={bad"]) == [
        "--set-json: cannot parse --set-json: invalid JSON value at character 11: "
        "Expecting property name enclosed in double quotes"]


def test_missing_file_directory_and_bad_utf8_are_reported_together(tmp_path):
    from helm_vnp.config import ValuesInput, check_values

    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"policies:\n  networkPolicy:\n    labels: {team: caf\xe9}\n")
    config, problems = check_values(ValuesInput([str(tmp_path / "nope.yaml"), str(tmp_path), str(bad)]),
                                    use_cache=False)
    assert config is None
    assert [p.render().replace(str(tmp_path), "T") for p in problems] == [
        "T/nope.yaml: values file not found",
        "T: is a directory, not a values file",
        "T/latin1.yaml:3: not valid UTF-8 (byte 0xe9)",
    ]


@pytest.mark.parametrize("text,message", [
    ("policies: 5\n", "values.yaml:1: policies: expected a mapping, got the number 5"),
    ("just a string\n", "values.yaml:1: a values file must be a mapping of keys to values, not a string"),
    ("isolation: [1]\n", "values.yaml:1: isolation: expected a mapping, got a list"),
    ("policies:\n  networkPolicy:\n    workload: {egress: {to: []}}\n",
     "values.yaml:3: policies.networkPolicy.workload.egress: expected a list, got a mapping"),
])
def test_wrong_types_anywhere_never_crash(tmp_path, text, message):
    assert errors(tmp_path, text) == [message]


def test_the_schema_accepts_nothing_given():
    """The loader skips building the validator when no value of ours is given (graph and lint of a rendered
    stream without values): sound only while the schema accepts an empty document."""
    from helm_vnp.config.validate import validate
    assert validate({}, lambda path: (None, None), lambda p: (0, 0, p.path, p.message)) == []
