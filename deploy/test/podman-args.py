#!/usr/bin/env python3
"""Derives `podman run` arguments for one container of the DaemonSet in a deploy/ manifest, as the kubelet
would run it: hostPath volumes (mapped under a scratch host root), volumeMounts with their propagation and
readOnly, privileged/capabilities, hostNetwork/hostPID/hostIPC, env (value, fieldRef spec.nodeName,
configMapKeyRef from the manifest's ConfigMap or --configmap overrides), command → --entrypoint, args.

Anything in the pod or container spec this script does not know how to map is an error, so the podman test
breaks when the manifest grows something the test does not exercise.

usage: podman-args.py MANIFEST CONTAINER --host-root DIR --node-name NAME [--configmap KEY=FILE]...
                      [--prepare] [--probe] [--kubelet-env K=V]... [--kubelet-mount SRC:DST]...
Prints the arguments NUL-separated on stdout (after `podman run`, up to and including the image and args).
--prepare creates DirectoryOrCreate/FileOrCreate host paths under the host root, as the kubelet does.
--probe prints the readiness probe's exec command instead (NUL-separated), for `podman exec`.
"""
import argparse
import json
import os
import sys

import yaml

POD_KEYS = {"serviceAccountName", "hostNetwork", "hostPID", "hostIPC", "dnsPolicy", "priorityClassName",
            "tolerations", "terminationGracePeriodSeconds", "initContainers", "containers", "volumes"}
CONTAINER_KEYS = {"name", "image", "imagePullPolicy", "command", "args", "env", "securityContext",
                  "readinessProbe", "livenessProbe", "resources", "volumeMounts"}
PROPAGATION = {None: None, "None": "rprivate", "HostToContainer": "rslave", "Bidirectional": "rshared"}


def fail(msg):
    print("podman-args: " + msg, file=sys.stderr)
    sys.exit(2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("manifest")
    p.add_argument("container")
    p.add_argument("--host-root", required=True)
    p.add_argument("--node-name", required=True)
    p.add_argument("--configmap", action="append", default=[])
    p.add_argument("--kubelet-env", action="append", default=[])
    p.add_argument("--kubelet-mount", action="append", default=[])
    p.add_argument("--prepare", action="store_true")
    p.add_argument("--probe", action="store_true")
    a = p.parse_args()

    with open(a.manifest) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    daemonsets = [d for d in docs if d.get("kind") == "DaemonSet"]
    if len(daemonsets) != 1:
        fail("expected exactly one DaemonSet in %s, found %d" % (a.manifest, len(daemonsets)))
    ds = daemonsets[0]
    ns = ds["metadata"].get("namespace", "default")
    configmaps = {(d["metadata"]["name"], d["metadata"].get("namespace", "default")): dict(d.get("data") or {})
                  for d in docs if d.get("kind") == "ConfigMap"}
    for kv in a.configmap:  # NAME/KEY=FILE: a value the operator would have put into the ConfigMap
        ref, path = kv.split("=", 1)
        name, key = ref.split("/", 1)
        with open(path) as f:
            configmaps.setdefault((name, ns), {})[key] = f.read()

    pod = ds["spec"]["template"]["spec"]
    unknown = set(pod) - POD_KEYS
    if unknown:
        fail("pod spec fields this test cannot map: %s" % sorted(unknown))
    sas = [d for d in docs if d.get("kind") == "ServiceAccount"]
    if pod.get("serviceAccountName") and not any(s["metadata"]["name"] == pod["serviceAccountName"] for s in sas):
        fail("serviceAccountName %s has no ServiceAccount in the manifest" % pod["serviceAccountName"])
    tolerations = pod.get("tolerations") or []
    if not any(t.get("operator") == "Exists" and "key" not in t for t in tolerations):
        fail("the DaemonSet must tolerate every taint (operator: Exists without a key) to run on every node")

    containers = {c["name"]: c for c in (pod.get("initContainers") or []) + pod["containers"]}
    if a.container not in containers:
        fail("no container %s (have %s)" % (a.container, sorted(containers)))
    c = containers[a.container]
    unknown = set(c) - CONTAINER_KEYS
    if unknown:
        fail("container %s: fields this test cannot map: %s" % (c["name"], sorted(unknown)))

    if a.probe:
        probe = c.get("readinessProbe")
        if not probe or "exec" not in probe:
            fail("container %s has no exec readiness probe" % c["name"])
        sys.stdout.write("\0".join(probe["exec"]["command"]) + "\0")
        return

    out = []
    if pod.get("hostNetwork"):
        out += ["--network", "host"]
    if pod.get("hostPID"):
        out += ["--pid", "host"]
    if pod.get("hostIPC"):
        out += ["--ipc", "host"]

    volumes = {v["name"]: v for v in pod.get("volumes") or []}
    root = os.path.abspath(a.host_root)
    for m in c.get("volumeMounts") or []:
        extra = set(m) - {"name", "mountPath", "readOnly", "mountPropagation"}
        if extra:
            fail("volumeMount %s: fields this test cannot map: %s" % (m["name"], sorted(extra)))
        v = volumes.get(m["name"])
        if v is None:
            fail("volumeMount %s names no volume" % m["name"])
        if set(v) != {"name", "hostPath"}:
            fail("volume %s: only hostPath volumes are mapped" % v["name"])
        hp = v["hostPath"]
        if not hp["path"].startswith("/"):
            fail("volume %s: hostPath must be absolute" % v["name"])
        src = root + hp["path"]
        kind = hp.get("type", "")
        if a.prepare and kind == "DirectoryOrCreate":
            os.makedirs(src, mode=0o755, exist_ok=True)
        elif a.prepare and kind == "FileOrCreate" and not os.path.exists(src):
            os.makedirs(os.path.dirname(src), exist_ok=True)
            open(src, "a").close()
        elif kind in ("Directory", "DirectoryOrCreate") and not os.path.isdir(src):
            fail("hostPath %s (%s) is not a directory" % (src, kind))
        elif kind in ("File", "FileOrCreate") and not os.path.isfile(src):
            fail("hostPath %s (%s) is not a file" % (src, kind))
        elif kind not in ("", "Directory", "DirectoryOrCreate", "File", "FileOrCreate"):
            fail("hostPath type %s is not mapped" % kind)
        if m["mountPath"] != hp["path"]:
            fail("volumeMount %s: mounted at %s, not at the host's own path %s (installed paths would be wrong"
                 " on the host)" % (m["name"], m["mountPath"], hp["path"]))
        opts = []
        if m.get("readOnly"):
            opts.append("ro")
        prop = m.get("mountPropagation")
        if prop not in PROPAGATION:
            fail("mountPropagation %s is not mapped" % prop)
        if PROPAGATION[prop]:
            opts.append(PROPAGATION[prop])
        out += ["-v", "%s:%s%s" % (src, m["mountPath"], (":" + ",".join(opts)) if opts else "")]
    for km in a.kubelet_mount:  # what the kubelet adds (the service account token)
        out += ["-v", km]

    sc = c.get("securityContext") or {}
    extra = set(sc) - {"privileged", "capabilities", "runAsUser", "readOnlyRootFilesystem"}
    if extra:
        fail("securityContext fields this test cannot map: %s" % sorted(extra))
    if sc.get("privileged"):
        out.append("--privileged")
    caps = sc.get("capabilities") or {}
    for cap in caps.get("add") or []:
        out += ["--cap-add", cap]
    for cap in caps.get("drop") or []:
        out += ["--cap-drop", cap]
    if "runAsUser" in sc:
        out += ["--user", str(sc["runAsUser"])]
    if sc.get("readOnlyRootFilesystem"):
        out.append("--read-only")

    for e in c.get("env") or []:
        if "value" in e:
            out += ["-e", "%s=%s" % (e["name"], e["value"])]
            continue
        vf = e.get("valueFrom") or {}
        if "fieldRef" in vf:
            field = vf["fieldRef"]["fieldPath"]
            if field != "spec.nodeName":
                fail("env %s: fieldRef %s is not mapped" % (e["name"], field))
            out += ["-e", "%s=%s" % (e["name"], a.node_name)]
        elif "configMapKeyRef" in vf:
            ref = vf["configMapKeyRef"]
            data = configmaps.get((ref["name"], ns))
            if data is None or ref["key"] not in data:
                if ref.get("optional"):
                    continue
                fail("env %s: ConfigMap %s has no key %s" % (e["name"], ref["name"], ref["key"]))
            out += ["-e", "%s=%s" % (e["name"], data[ref["key"]])]
        else:
            fail("env %s: valueFrom %s is not mapped" % (e["name"], sorted(vf)))
    for kv in a.kubelet_env:
        out += ["-e", kv]

    if c.get("command"):
        out += ["--entrypoint", json.dumps(c["command"])]
    out.append(c["image"])
    out += [str(x) for x in c.get("args") or []]
    sys.stdout.write("\0".join(out) + "\0")


if __name__ == "__main__":
    main()
