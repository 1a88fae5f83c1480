"""deploy/k8s (ADR 0103) rendered and checked against the Kubernetes schemas, offline.

No cluster runs here: the base and the example overlay are rendered with scripts/k8s_render.py
(and, where kubectl is installed, compared with `kubectl kustomize`), every object is validated
with kubernetes-validate's bundled schemas (strict: unknown fields fail), and the deployment's
own rules are checked: web, worker and beat with probes and resources, exactly one beat,
migrations as a Job, disruption budgets and autoscalers that select real pods, secrets only
by reference, PostgreSQL and Redis outside the cluster.
"""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSIONS = ("1.31", "1.33", "1.35")
TREES = ("base", "overlays/example")

_spec = importlib.util.spec_from_file_location("k8s_render", ROOT / "scripts" / "k8s_render.py")
k8s_render = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(k8s_render)


def by_key(objects):
    return {(obj["kind"], obj["metadata"]["name"]): obj for obj in objects}


@pytest.fixture(scope="module", params=TREES)
def rendered(request):
    return by_key(k8s_render.render(K8S / request.param))


@pytest.fixture(scope="module")
def overlay():
    return by_key(k8s_render.render(K8S / "overlays" / "example"))


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def test_every_object_is_valid_against_the_kubernetes_schemas(rendered):
    for version in KUBERNETES_VERSIONS:
        for (kind, name), obj in rendered.items():
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{kind} {name} is not valid for Kubernetes {version}: {exc.message}")


def test_the_validator_does_catch_mistakes():
    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "two"},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, "1.33", strict=True)
    unknown = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "dta": {}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(unknown, "1.33", strict=True)


@pytest.mark.skipif(
    not shutil.which("kubectl"), reason="kubectl (with its built-in kustomize) is not installed"
)
@pytest.mark.parametrize("tree", TREES)
def test_the_renderer_agrees_with_kubectl_kustomize(tree):
    result = subprocess.run(
        ["kubectl", "kustomize", str(K8S / tree)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert by_key(yaml.safe_load_all(result.stdout)) == by_key(k8s_render.render(K8S / tree))


def test_web_worker_and_beat_run_the_commands_of_the_image(rendered):
    commands = {
        name: pod_spec(obj)["containers"][0]["command"]
        for (kind, name), obj in rendered.items()
        if kind == "Deployment"
    }
    assert commands["tandem-web"] == [
        "gunicorn",
        "-c",
        "python:portal.gunicorn_conf",
        "portal.wsgi:application",
    ]
    assert commands["tandem-worker"][:4] == ["celery", "-A", "portal", "worker"]
    assert commands["tandem-beat"][:4] == ["celery", "-A", "portal", "beat"]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["beat"]["command"] == commands["tandem-beat"]


def test_probes_use_healthz_and_the_heartbeat(rendered):
    web = pod_spec(rendered["Deployment", "tandem-web"])["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert web[probe]["httpGet"]["path"] == "/healthz"
        host = {h["name"]: h["value"] for h in web[probe]["httpGet"]["httpHeaders"]}["Host"]
        assert host in rendered["ConfigMap", "tandem-config"]["data"]["DJANGO_ALLOWED_HOSTS"].split(",")
    worker = pod_spec(rendered["Deployment", "tandem-worker"])["containers"][0]
    assert worker["livenessProbe"]["exec"]["command"] == ["python", "scripts/healthcheck.py", "worker"]
    beat = pod_spec(rendered["Deployment", "tandem-beat"])["containers"][0]
    assert beat["livenessProbe"]["exec"]["command"] == ["python", "scripts/healthcheck.py", "beat"]
    # The heartbeat key lives 10 minutes: the first check comes after it could have been written.
    assert beat["livenessProbe"]["initialDelaySeconds"] >= 300
    source = (ROOT / "scripts" / "healthcheck.py").read_text()
    assert '"worker":' in source and '"beat":' in source


def test_exactly_one_beat_never_two_during_a_rollout(rendered):
    beat = rendered["Deployment", "tandem-beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"] == {"type": "Recreate"}
    targets = {
        obj["spec"]["scaleTargetRef"]["name"]
        for (kind, _), obj in rendered.items()
        if kind == "HorizontalPodAutoscaler"
    }
    assert targets == {"tandem-web", "tandem-worker"}


def test_every_container_has_resources_runs_unprivileged_and_gets_secrets_by_reference(rendered):
    assert not [key for key in rendered if key[0] == "Secret"], (
        "secrets are created by the operator, not in files"
    )
    for (kind, name), obj in rendered.items():
        if kind not in ("Deployment", "Job"):
            continue
        spec = pod_spec(obj)
        assert (
            spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] == 10001
        )
        for container in spec["containers"]:
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            refs = container["envFrom"]
            assert {"secretRef": {"name": "tandem-secrets"}} in refs and {
                "configMapRef": {"name": "tandem-config"}
            } in refs
            assert "env" not in container or not any(
                "value" in e and "SECRET" in e["name"] for e in container["env"]
            )
            assert not container["image"].endswith(":latest") and ":" in container["image"]


def test_migrations_run_as_a_job_and_not_in_the_web_pods(rendered):
    job = rendered["Job", "tandem-migrate"]
    assert pod_spec(job)["containers"][0]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    web = pod_spec(rendered["Deployment", "tandem-web"])["containers"][0]
    assert "migrate" not in " ".join(web["command"])


def test_disruption_budgets_and_autoscalers_select_the_deployments_pods(rendered):
    deployments = {name: obj for (kind, name), obj in rendered.items() if kind == "Deployment"}
    budgets = [obj for (kind, _), obj in rendered.items() if kind == "PodDisruptionBudget"]
    assert {b["metadata"]["name"] for b in budgets} == {"tandem-web", "tandem-worker"}
    for budget in budgets:
        labels = deployments[budget["metadata"]["name"]]["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for (kind, _), obj in rendered.items():
        if kind == "HorizontalPodAutoscaler":
            assert obj["spec"]["scaleTargetRef"]["name"] in deployments
            assert obj["spec"]["minReplicas"] >= 1
    for deployment in deployments.values():
        assert (
            deployment["spec"]["selector"]["matchLabels"].items()
            <= deployment["spec"]["template"]["metadata"]["labels"].items()
        )
    service = rendered["Service", "tandem-web"]
    assert service["spec"]["selector"] == deployments["tandem-web"]["spec"]["selector"]["matchLabels"]


def test_postgresql_and_redis_are_external_services(rendered):
    for name in ("tandem-postgres", "tandem-redis"):
        assert rendered["Service", name]["spec"]["type"] == "ExternalName"
    kinds = {kind for kind, _ in rendered}
    assert "StatefulSet" not in kinds
    images = {
        c["image"]
        for (kind, _), obj in rendered.items()
        if kind in ("Deployment", "Job")
        for c in pod_spec(obj)["containers"]
    }
    assert not any(image.startswith(("postgres", "redis")) for image in images)


def test_the_private_media_volume_is_shared_by_web_and_worker(rendered):
    claim = rendered["PersistentVolumeClaim", "tandem-private-media"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    root = rendered["ConfigMap", "tandem-config"]["data"]["TANDEM_PRIVATE_MEDIA_ROOT"]
    for name in ("tandem-web", "tandem-worker"):
        mounts = pod_spec(rendered["Deployment", name])["containers"][0]["volumeMounts"]
        assert {"name": "private-media", "mountPath": root} in mounts


def test_the_overlay_sets_namespace_image_hosts_and_replicas(overlay):
    namespaced = [obj for (kind, _), obj in overlay.items() if kind != "Namespace"]
    assert {obj["metadata"].get("namespace") for obj in namespaced} == {"tandem-utrecht"}
    web = overlay["Deployment", "tandem-web"]
    assert web["spec"]["replicas"] == 3
    assert pod_spec(web)["containers"][0]["image"] == "registry.example.nl/tandem/tandem:2026.12.0"
    config = overlay["ConfigMap", "tandem-config"]["data"]
    assert config["DJANGO_ALLOWED_HOSTS"] == "tandem.utrecht.example.nl,localhost"
    assert config["DJANGO_LOG_FORMAT"] == "json"  # the base's values stay
    ingress = overlay["Ingress", "tandem-web"]
    assert ingress["spec"]["rules"][0]["host"] in config["DJANGO_ALLOWED_HOSTS"]


def test_every_setting_in_the_config_map_is_documented():
    readme = (ROOT / "README.md").read_text()
    for tree in TREES:
        config = by_key(k8s_render.render(K8S / tree))["ConfigMap", "tandem-config"]["data"]
        for name in config:
            assert f"`{name}`" in readme, name


def test_the_renderer_refuses_what_it_does_not_understand(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: []\nconfigMapGenerator: []\n")
    with pytest.raises(k8s_render.RenderError):
        k8s_render.render(tmp_path)


def test_readme_scaling_out_points_to_the_manifests():
    readme = (ROOT / "README.md").read_text()
    scaling = readme.split("## Scaling out", 1)[1].split("\n## ", 1)[0]
    assert "deploy/k8s" in scaling
