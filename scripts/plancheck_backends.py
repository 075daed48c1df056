#!/usr/bin/env python3
"""Runs plan-check's evaluates, no-leaks and deterministic checks with each backend switched on.

plancheck.py evaluates the committed stack files only, which all use Secret Manager. This runs
the same harness and the same rules (imported from plancheck.py, not copied) on every stack with
`--set backend=...` and the keys that backend needs.

usage (from the project root):  python3 scripts/plancheck_backends.py [backend ...] [--stack S ...]
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAN_CHECK = os.path.join(PROJECT, "..", "shared", "tools", "plan-check")

# What each backend needs beyond `backend` on a stack file. Cloud Run (and the GCP runtime behind
# it) reads Secret Manager only, so the others run with the kubernetes target alone, and without
# the alerts, which watch Secret Manager.
# Agents of the committed stacks run on Cloud Run or keep state in the GCP runtime: they go too
# (test/agents/agents.test.ts evaluates a cluster agent on each other backend).
KUBERNETES_ONLY = ["targets=[\"kubernetes\"]", "gcpRuntime=false", "litellmDbEndpoint=10.20.0.3", "agents=[]", "alertEmail="]
BACKENDS = {
    "aws-secrets-manager": [
        *KUBERNETES_ONLY,
        "awsRegion=eu-west-1",
        "awsOidcProviderArn=arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
        "awsKmsKeyArn=arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "awsRotationLambdas={\"anthropic-api-key\":\"arn:aws:lambda:eu-west-1:123456789012:function:rotate\"}",
    ],
    "vault": [*KUBERNETES_ONLY, "vaultAddress=https://vault.example.com:8200"],
    "kubernetes": KUBERNETES_ONLY,
    # Access modes: `<backend>/<mode>` runs that backend with the mode's keys.
    "gcp-secret-manager/static-credentials": ["backendAccess=static-credentials"],
    "aws-secrets-manager/static-credentials": [*KUBERNETES_ONLY, "awsRegion=eu-west-1", "backendAccess=static-credentials"],
    "kubernetes/operator-values": [*KUBERNETES_ONLY, "kubernetesSourceValues=operator"],
}


def backend_of(name):
    """The backend of a BACKENDS entry (an access-mode entry names it before the slash)."""
    return name.split("/")[0]


def main(argv):
    os.chdir(PROJECT)  # plancheck reads the project from the working directory
    sys.path.insert(0, PLAN_CHECK)
    import plancheck  # noqa: E402  (its location is only known at run time)

    stacks = [argv[i + 1] for i, a in enumerate(argv) if a == "--stack"] or plancheck.stacks()
    names = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--stack")]
    backends = names or list(BACKENDS)
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown:
        print(f"unknown backend {unknown}; have {list(BACKENDS)}")
        return 2

    runs = []
    for backend in backends:
        sets = [a for kv in [f"backend={backend_of(backend)}", *BACKENDS[backend]] for a in ("--set", kv)]
        for stack in stacks:
            runs += [(backend, stack, sets), (backend, stack, sets + ["--preview"]), (backend, stack, sets + ["--set", "__rerun=1"])]
    # Two harness processes at a time: each is one Node process, mostly waiting on itself.
    with ThreadPoolExecutor(max_workers=2) as pool:
        plans = list(pool.map(lambda r: plancheck.plan(r[1], *r[2]), runs))
    by_run = {(b, s, tuple(x)): p for (b, s, x), p in zip(runs, plans)}

    failed = 0
    for backend in backends:
        sets = [a for kv in [f"backend={backend_of(backend)}", *BACKENDS[backend]] for a in ("--set", kv)]
        for stack in stacks:
            up = by_run[(backend, stack, tuple(sets))]
            preview = by_run[(backend, stack, tuple(sets + ["--preview"]))]
            rerun = by_run[(backend, stack, tuple(sets + ["--set", "__rerun=1"]))]
            problems = []
            for mode, p in (("up", up), ("preview", preview)):
                n = sum(1 for r in p["resources"] if r["custom"])
                if p["errors"] or n == 0:
                    problems.append(f"{mode}: {n} resources, {(p['errors'] or ['no resources'])[0][:300]}")
            problems += [f"{kind} {where}" for kind, where in plancheck.leaks(up)]
            a, b = plancheck.resource_inputs(up), plancheck.resource_inputs(rerun)
            problems += [f"changes on a re-run: {u.split('::')[-1]}" for u in a if a[u] != b.get(u)]
            n = sum(1 for r in up["resources"] if r["custom"])
            status = "ok" if not problems else "FAILED"
            print(f"{backend} {stack}: {status}, {n} resources, {len(problems)} problems")
            for p in problems[:10]:
                print(f"  - {p}")
            failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
