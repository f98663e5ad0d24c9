#!/usr/bin/env python3
"""A stand-in for kubectl, for testing k8s/bluegreen.sh without a cluster.

It keeps a tiny cluster in a JSON file (FAKE_KUBECTL_STATE) and appends every call to FAKE_KUBECTL_LOG. It knows
only the commands the script uses, and fails loudly on anything else. State:

  {"deployments": {"<name>": {"image": "...", "replicas": 2, "generation": 1, "stuck": false,
                              "unready": 0, "labels": {...}}},
   "services": {"<name>": {"selector": {...}}},
   "hpa": {"<name>": {"minReplicas": 2}},
   "http": {"<slot>": {"/readyz": 200, ...}}}   # answers behind port-forward, per slot of the Service

A Deployment converges at once (all pods updated and Ready) unless "stuck" (the rollout never finishes) or
"unready" > 0 (that many pods are not Ready).
"""
import json
import os
import re
import sys

STATE = os.environ["FAKE_KUBECTL_STATE"]
LOG = os.environ["FAKE_KUBECTL_LOG"]


def load():
    with open(STATE) as f:
        return json.load(f)


def save(state):
    with open(STATE, "w") as f:
        json.dump(state, f, indent=1)


def fail(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


def deployment_object(name, d):
    replicas = d["replicas"]
    stuck = d.get("stuck", False)
    unready = min(d.get("unready", 0), replicas)
    status = {"replicas": replicas, "observedGeneration": d["generation"]}
    if not stuck:
        status["updatedReplicas"] = replicas
    if replicas - unready > 0:
        status["readyReplicas"] = replicas - unready
        status["availableReplicas"] = replicas - unready
    return {
        "metadata": {"name": name, "generation": d["generation"], "labels": d["labels"]},
        "spec": {"replicas": replicas,
                 "template": {"spec": {"containers": [{"name": "app", "image": d["image"]}]}}},
        "status": status,
    }


def pods(state, selector):
    wanted = dict(pair.split("=", 1) for pair in selector.split(","))
    result = []
    for name, d in state["deployments"].items():
        if all(d["labels"].get(k) == v for k, v in wanted.items()):
            unready = min(d.get("unready", 0), d["replicas"])
            for i in range(d["replicas"]):
                result.append({"name": f"{name}-{d['generation']}-{i}", "ready": i >= unready})
    return result


def jsonpath(obj, template):
    """The subset of kubectl's JSONPath the script uses: {.a.b}, {.a[0].b}, {.a[?(@.k=="v")].b}, literals between."""
    def resolve(expr):
        value = obj
        for part in re.findall(r'\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\?\(@\.(\w+)=="([^"]*)"\)\]', expr):
            key, index, fkey, fvalue = part
            if value is None:
                return ""
            if key:
                value = value.get(key) if isinstance(value, dict) else None
            elif index:
                value = value[int(index)] if isinstance(value, list) and len(value) > int(index) else None
            else:
                matches = [v for v in (value or []) if v.get(fkey) == fvalue]
                value = matches[0] if matches else None
        return "" if value is None else (json.dumps(value) if isinstance(value, (dict, list)) else str(value))

    return re.sub(r"\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", lambda m: resolve(m.group(1)), template)


def serve(answers, label):
    """Port-forward: answer GETs with the configured status codes, on a free local port, until killed."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0]
            code = answers.get(path, 404)
            with open(LOG, "a") as f:
                f.write(f"HTTP GET {self.path} ({label}) -> {code}\n")
            body = json.dumps({"status": "UP" if code == 200 else "DOWN"}).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"Forwarding from 127.0.0.1:{server.server_address[1]} -> 8080", flush=True)
    print(f"Forwarding from [::1]:{server.server_address[1]} -> 8080", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Event().wait(60)  # bounded: a forgotten port-forward does not outlive the test


def main(argv):
    with open(LOG, "a") as f:
        f.write("kubectl " + " ".join(argv) + "\n")
    args = []
    it = iter(argv)
    for a in it:
        if a in ("-n", "--namespace"):
            next(it)
        elif not a.startswith("--namespace="):
            args.append(a)
    state = load()
    verb = args[0] if args else ""

    def option(name):
        for i, a in enumerate(args):
            if a == name and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(name + "="):
                return a.split("=", 1)[1]
        return None

    if verb == "get":
        kind, name = args[1], (args[2] if len(args) > 2 and not args[2].startswith("-") else None)
        output = option("-o") or option("--output")
        if kind in ("pods", "pod"):
            found = pods(state, option("-l"))
            if output == "name":
                print("".join(f"pod/{p['name']}\n" for p in found), end="")
                return
            fail(f"fake kubectl: unsupported output {output}")
        if kind in ("deployment", "deploy"):
            d = state["deployments"].get(name) or fail(f'Error from server (NotFound): deployments.apps "{name}" not found')
            obj = deployment_object(name, d)
        elif kind in ("service", "svc"):
            s = state["services"].get(name) or fail(f'Error from server (NotFound): services "{name}" not found')
            obj = {"metadata": {"name": name}, "spec": {"selector": s["selector"]}}
        elif kind == "hpa":
            h = state.get("hpa", {}).get(name) or fail(f'Error from server (NotFound): horizontalpodautoscalers "{name}" not found')
            obj = {"metadata": {"name": name}, "spec": h}
        else:
            fail(f"fake kubectl: unsupported kind {kind}")
        if not output or not output.startswith("jsonpath="):
            fail(f"fake kubectl: unsupported output {output}")
        print(jsonpath(obj, output[len("jsonpath="):]), end="")
    elif verb == "wait":
        found = pods(state, option("-l"))
        if not found:
            fail("error: no matching resources found")
        not_ready = [p["name"] for p in found if not p["ready"]]
        if not_ready:
            fail(f"error: timed out waiting for the condition on pods/{not_ready[0]}")
        for p in found:
            print(f"pod/{p['name']} condition met")
    elif verb == "patch":
        kind, name = args[1], args[2]
        if kind not in ("service", "svc") or option("--type") != "merge":
            fail(f"fake kubectl: unsupported patch {args}")
        patch = json.loads(option("-p"))
        state["services"][name]["selector"].update(patch["spec"]["selector"])
        save(state)
        print(f"service/{name} patched")
    elif verb == "set" and args[1] == "image":
        name = args[2].split("/", 1)[1]
        container, image = args[3].split("=", 1)
        if container != "app":
            fail(f'error: unable to find container named "{container}"')
        state["deployments"][name]["image"] = image
        state["deployments"][name]["generation"] += 1
        save(state)
        print(f"deployment.apps/{name} image updated")
    elif verb == "scale":
        name = args[1].split("/", 1)[1]
        state["deployments"][name]["replicas"] = int(option("--replicas"))
        state["deployments"][name]["generation"] += 1
        save(state)
        print(f"deployment.apps/{name} scaled")
    elif verb == "rollout" and args[1] == "status":
        name = args[2].split("/", 1)[1]
        d = state["deployments"][name]
        if d.get("stuck") or d.get("unready", 0) > 0:
            fail(f'error: deployment "{name}" exceeded its progress deadline')
        print(f'deployment "{name}" successfully rolled out')
    elif verb == "port-forward":
        name = args[1].split("/", 1)[1]
        slot = state["services"][name]["selector"].get("slot")
        serve(state.get("http", {}).get(slot, {}), f"slot {slot}")
    else:
        fail(f"fake kubectl: unsupported command {argv}", 2)


if __name__ == "__main__":
    main(sys.argv[1:])
