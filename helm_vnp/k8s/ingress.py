"""The Ingress annotations that name a class: read by the traffic vnp opens (``generate.traffic``) and by the
tenant's class checks (``release.tenant.classes``), kept here so neither imports the other's layer."""
from __future__ import annotations

# the class an Ingress asks for when it sets no spec.ingressClassName (deprecated, still honoured by controllers)
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
# on an IngressClass: the class of every Ingress that names none
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
