#!/usr/bin/env bash
# kubernetes-validate (PyPI): validates deploy/kubernetes against the Kubernetes schemas it ships (offline).
# Used by Tests/IntegrationTests/Deploy/KubernetesManifestTests.swift.
set -euo pipefail
version=1.37.0
if command -v kubernetes-validate >/dev/null 2>&1 \
    && [ "$(kubernetes-validate --version 2>/dev/null)" = "$version" ]; then
    exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "kubernetes-validate==$version"
command -v kubernetes-validate >/dev/null 2>&1 || {
    echo "30-kubernetes-validate.sh: installed, but kubernetes-validate is not in PATH ($PATH)" >&2
    exit 1
}
