"""`helm vnp graph`: who can talk to whom once the policies apply.

``analysis`` judges every pair of the release's workloads and a handful of
probes for the rest of the world by the NetworkPolicy semantics of
``helm_vnp.k8s.netpol``, over the ``Release``'s policies (the chart's and vnp's);
``formats`` renders the result.
"""
