"""`helm vnp graph`, `explain` and `diff`: who can talk to whom once the policies apply, why, and what an
upgrade changes.

``helm_vnp.connectivity`` computes it exactly and at scale (every workload pair and outside address range,
every port; ``connlist``, ``explain``, ``diff``, ``html``); ``analysis`` judges the release's workloads against
a handful of probes for the rest of the world with that engine, over the ``Release``'s policies (the chart's
and vnp's); ``formats`` renders the probe graph.
"""
