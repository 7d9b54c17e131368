#!/usr/bin/env bash
# kubernetes-validate (PyPI): validates deploy/kubernetes against the Kubernetes schemas it ships (offline).
# Used by Tests/IntegrationTests/Deploy/KubernetesManifestTests.swift.
set -euo pipefail
version=1.37.0
# The tests run it as `python3 -m kubernetes_validate`, so only python3's import path matters.
if [ "$(python3 -m kubernetes_validate --version 2>/dev/null)" = "$version" ]; then
    exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "kubernetes-validate==$version" \
    || echo "30-kubernetes-validate.sh: pip install failed; the Kubernetes manifest tests will say so" >&2
