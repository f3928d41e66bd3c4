"""A small Kubernetes REST client for the cluster tests: the kubeconfig that testinfra/cluster writes
(a CA file, a client certificate and key), urllib and ssl from the standard library, discovery to
map a kind to its resource.  Test-only: it reads our own kubeconfig, not every kubeconfig there is.
"""
from __future__ import annotations

import json
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml


class ApiError(Exception):
    def __init__(self, status: int, body: dict | str):
        self.status, self.body = status, body
        msg = body.get("message") if isinstance(body, dict) else body
        super().__init__(f"HTTP {status}: {msg}")

    @property
    def message(self) -> str:
        return self.body.get("message", "") if isinstance(self.body, dict) else str(self.body)


class Kube:
    def __init__(self, kubeconfig: Path):
        cfg = yaml.safe_load(Path(kubeconfig).read_text())
        cluster = cfg["clusters"][0]["cluster"]
        user = cfg["users"][0]["user"]
        self.server = cluster["server"].rstrip("/")
        self.ctx = ssl.create_default_context(cafile=cluster["certificate-authority"])
        self.ctx.load_cert_chain(user["client-certificate"], user["client-key"])
        self._resources: dict[tuple[str, str], tuple[str, bool]] = {}

    # --- raw requests ---

    def request(self, method: str, path: str, body=None, params: dict | None = None,
                content_type: str = "application/json"):
        url = self.server + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": content_type, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=30) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw.decode(errors="replace")
            raise ApiError(e.code, parsed) from None
        return json.loads(raw) if raw else None

    def get(self, path: str, params: dict | None = None):
        return self.request("GET", path, params=params)

    # --- discovery: kind -> resource path ---

    def _discover(self, api_version: str) -> None:
        base = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        for r in self.get(base)["resources"]:
            if "/" not in r["name"]:
                self._resources[(api_version, r["kind"])] = (r["name"], r["namespaced"])

    def path(self, api_version: str, kind: str, namespace: str | None = None, name: str | None = None) -> str:
        if (api_version, kind) not in self._resources:
            self._discover(api_version)
        resource, namespaced = self._resources[(api_version, kind)]
        base = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        ns = f"/namespaces/{namespace}" if namespaced and namespace else ""
        return f"{base}{ns}/{resource}" + (f"/{name}" if name else "")

    # --- objects ---

    def list(self, api_version: str, kind: str, namespace: str | None = None, selector: str | None = None) -> list:
        params = {"labelSelector": selector} if selector else None
        return self.get(self.path(api_version, kind, namespace), params)["items"]

    def read(self, obj: dict, namespace: str | None = None) -> dict | None:
        meta = obj["metadata"]
        try:
            return self.get(self.path(obj["apiVersion"], obj["kind"], meta.get("namespace") or namespace,
                                      meta["name"]))
        except ApiError as e:
            if e.status == 404:
                return None
            raise

    def create(self, obj: dict, namespace: str | None = None, dry_run: bool = False) -> dict:
        ns = obj.get("metadata", {}).get("namespace") or namespace
        return self.request("POST", self.path(obj["apiVersion"], obj["kind"], ns), obj,
                            params={"dryRun": "All"} if dry_run else None)

    def apply(self, obj: dict, namespace: str | None = None, dry_run: bool = False) -> dict:
        """Server-side apply (field manager vnp-tests)."""
        ns = obj.get("metadata", {}).get("namespace") or namespace
        params = {"fieldManager": "vnp-tests", "force": "true"}
        if dry_run:
            params["dryRun"] = "All"
        return self.request("PATCH", self.path(obj["apiVersion"], obj["kind"], ns, obj["metadata"]["name"]), obj,
                            params=params, content_type="application/apply-patch+yaml")

    def create_namespace(self, name: str, labels: dict | None = None) -> None:
        self.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}}})
        # pods need the namespace's default service account (the serviceaccount controller makes it)
        wait_for(lambda: self._exists(f"/api/v1/namespaces/{name}/serviceaccounts/default"),
                 f"service account {name}/default")

    def _exists(self, path: str) -> bool:
        try:
            self.get(path)
            return True
        except ApiError as e:
            if e.status == 404:
                return False
            raise

    def events(self, namespace: str) -> list[dict]:
        return self.get(f"/api/v1/namespaces/{namespace}/events")["items"]


def wait_for(cond, what: str, timeout: float = 60, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        got = cond()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)
