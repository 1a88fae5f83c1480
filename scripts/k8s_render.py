#!/usr/bin/env python3
"""Render a kustomization without kustomize: the subset deploy/k8s uses (ADR 0103).

    python scripts/k8s_render.py deploy/k8s/overlays/example > tandem.yaml

Supported, with kustomize's meaning: `resources` (files, and directories holding a
kustomization.yaml), `namespace` (set on every namespaced object), `images` (newName, newTag,
digest), `replicas` and `patches` given by `path` (strategic-merge patches, matched by kind and
name; lists of objects with a `name` are merged by name, other lists replaced). Anything else
in a kustomization is refused rather than ignored. tests/portal/test_kubernetes.py renders
deploy/k8s with this and, where kubectl is installed, checks that `kubectl kustomize` gives
the same objects.
"""

import copy
import sys
from pathlib import Path

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches"}
CLUSTER_SCOPED = {"Namespace", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding"}


class RenderError(Exception):
    pass


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def merge(base, patch):
    """A strategic merge of `patch` into `base` (the subset described in the module docstring)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        result = dict(base)
        for key, value in patch.items():
            if value is None:
                result.pop(key, None)
            elif key in result:
                result[key] = merge(result[key], value)
            else:
                result[key] = copy.deepcopy(value)
        return result
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(item, dict) and "name" in item for item in base + patch)
    ):
        result = [copy.deepcopy(item) for item in base]
        for item in patch:
            for index, existing in enumerate(result):
                if existing["name"] == item["name"]:
                    result[index] = merge(existing, item)
                    break
            else:
                result.append(copy.deepcopy(item))
        return result
    return copy.deepcopy(patch)


def _containers(obj):
    spec = obj.get("spec", {})
    pod = spec.get("template", {}).get("spec", {}) if "template" in spec else {}
    if obj.get("kind") == "CronJob":
        pod = spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def _apply_images(objects, images):
    for obj in objects:
        for container in _containers(obj):
            image = container.get("image", "")
            name = image.split("@", 1)[0]
            if ":" in name.rsplit("/", 1)[-1]:
                name = name.rsplit(":", 1)[0]
            for rule in images:
                if rule["name"] == name:
                    new = rule.get("newName", name)
                    if "digest" in rule:
                        container["image"] = f"{new}@{rule['digest']}"
                    elif "newTag" in rule:
                        container["image"] = f"{new}:{rule['newTag']}"
                    else:
                        container["image"] = new + image[len(name) :]


def render(directory) -> list[dict]:
    directory = Path(directory)
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise RenderError(f"{directory}/kustomization.yaml: not supported here: {', '.join(sorted(unknown))}")
    objects: list[dict] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        objects.extend(render(path) if path.is_dir() else _documents(path))
    for entry in kustomization.get("patches", []):
        if set(entry) != {"path"}:
            raise RenderError(f"{directory}: only patches with a path are supported")
        for patch in _documents(directory / entry["path"]):
            matches = [
                index
                for index, obj in enumerate(objects)
                if obj["kind"] == patch["kind"] and obj["metadata"]["name"] == patch["metadata"]["name"]
            ]
            if len(matches) != 1:
                raise RenderError(
                    f"{directory}/{entry['path']}: no single {patch['kind']} {patch['metadata']['name']}"
                )
            objects[matches[0]] = merge(objects[matches[0]], patch)
    for rule in kustomization.get("replicas", []):
        for obj in objects:
            if obj["metadata"]["name"] == rule["name"] and "replicas" in obj.get("spec", {}):
                obj["spec"]["replicas"] = rule["count"]
    _apply_images(objects, kustomization.get("images", []))
    if "namespace" in kustomization:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = kustomization["namespace"]
    return objects


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        objects = render(argv[1])
    except (RenderError, OSError, yaml.YAMLError, KeyError) as exc:
        print(f"k8s_render: {exc}", file=sys.stderr)
        return 1
    yaml.safe_dump_all(objects, sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
