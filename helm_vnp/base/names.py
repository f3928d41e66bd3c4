"""The label, annotation and file names vnp reads and writes, in one place.

Every layer refers to these by name, so a rename is one edit and no module
has to reach up into another layer (the stream or the rules into the config)
for a constant.
"""

# The one label vnp adds to every pod template the chart renders (value: release name).
RELEASE_LABEL = "vnp.helm-plugin.io/release"
# Labels on every object vnp generates; they tie the object to the release and
# mark it as vnp's own (the post-renderer replaces, never duplicates, its own objects).
GENERATED_BY_LABEL = "app.kubernetes.io/managed-by"
GENERATED_BY_VALUE = "helm-vnp"
# Per-object lint opt-out: a comma-separated list of rule IDs, families or globs.
DISABLE_ANNOTATION = "vnp.helm-plugin.io/disable"
# On a NetworkPolicy vnp opens for an entry point the release declares: the object that declares it.
REASON_ANNOTATION = "vnp.helm-plugin.io/reason"
# The source file name vnp's generated objects carry (Helm 3 `# Source:` line, Helm 4 annotation).
GENERATED_SOURCE = "helm-vnp/generated.yaml"

# On the first object vnp generates: the user's vnp config input ({"policies": ...}) as compact, sorted
# JSON, so that `helm vnp upgrade --reuse-values` can reuse a config given with --vnp-values.
CONFIG_ANNOTATION = "vnp.helm-plugin.io/config"

# Helm 4 files each post-rendered document under this annotation.
POSTRENDER_FILENAME_ANNOTATION = "postrenderer.helm.sh/postrender-filename"
# A Helm hook: created at a point of the release's life, not as part of its manifest.
HOOK_ANNOTATION = "helm.sh/hook"
# Hooks created only by `helm test`, never by install or upgrade.
TEST_HOOKS = frozenset({"test", "test-success", "test-failure"})
# The recommended label charts use for the release name (a convention, not a rule).
INSTANCE_LABEL = "app.kubernetes.io/instance"

# Project-scoped isolation (policies.networkPolicy.project): the label every pod of the release also carries,
# vCluster Platform's own project label (the seed's example), so releases of one project reach each other.
PROJECT_LABEL = "vcluster.io/project"
# On a Service vnp generates for mapServices: the service it resolves to ("namespace/name").
MAPPED_FROM_ANNOTATION = "vnp.helm-plugin.io/mapped-from"
# On a chart NetworkPolicy rewritten by policies.networkPolicy.confineChartPolicies: what was confined.
CONFINED_ANNOTATION = "vnp.helm-plugin.io/confined"
