"""The hashed lock files agree with pyproject.toml and every install uses them (ADR 0100).

`requirements/base.txt` (runtime) and `requirements/test.txt` (runtime + test extra) are
compiled from pyproject.toml by `make lock`; `requirements/build.txt` pins pip, setuptools and
wheel. Editing a version in pyproject.toml without `make lock` fails here.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)==([^\s;\\]+)")


def lock(name):
    """{canonical name: version} of a lock file; fails on a line without a hash."""
    text = (REQUIREMENTS / name).read_text()
    pins = {}
    # One requirement per logical line (continuations joined).
    for line in re.sub(r"\\\n", " ", text).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PIN.match(line)
        assert match, f"{name}: not an exact pin: {line[:60]}"
        assert "--hash=sha256:" in line, f"{name}: {match.group(1)} has no hash"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def direct(requirements):
    result = {}
    for line in requirements:
        requirement = Requirement(line)
        [specifier] = list(requirement.specifier)
        assert specifier.operator == "==", f"{requirement.name} is not pinned with =="
        result[canonicalize_name(requirement.name)] = specifier.version
    return result


@pytest.mark.parametrize(
    ("lock_file", "groups"),
    [("base.txt", ("dependencies",)), ("test.txt", ("dependencies", "test"))],
)
def test_every_direct_dependency_is_locked_at_its_pyproject_version(lock_file, groups):
    project = pyproject()["project"]
    wanted = {}
    for group in groups:
        wanted |= direct(
            project["dependencies"] if group == "dependencies" else project["optional-dependencies"][group]
        )
    pins = lock(lock_file)
    disagree = {
        name: (version, pins.get(name)) for name, version in wanted.items() if pins.get(name) != version
    }
    assert not disagree, f"pyproject.toml and requirements/{lock_file} disagree (run `make lock`): {disagree}"


def test_the_test_lock_holds_the_runtime_lock_unchanged():
    base, test = lock("base.txt"), lock("test.txt")
    assert {name: test.get(name) for name in base} == base


def test_runtime_lock_holds_no_test_tool():
    base = lock("base.txt")
    test_only = direct(pyproject()["project"]["optional-dependencies"]["test"])
    assert not set(test_only) & set(base) - {"pyyaml"}


def test_build_tools_are_pinned_and_the_build_backend_is_the_same_setuptools():
    build = lock("build.txt")
    wanted = direct(
        line
        for line in (REQUIREMENTS / "build.in").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(wanted) == {"pip", "setuptools", "wheel"}
    assert {name: build[name] for name in wanted} == wanted
    [backend] = pyproject()["build-system"]["requires"]
    assert backend == f"setuptools=={build['setuptools']}"


def test_make_and_the_dockerfile_install_only_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "PIP_LOCKED := $(PY) -m pip install --quiet --require-hashes" in makefile
    for name in ("build", "base", "test"):
        assert f"$(PIP_LOCKED) -r requirements/{name}.txt" in makefile
    for name in ("build", "base"):
        assert f"pip install --require-hashes -r requirements/{name}.txt" in dockerfile
    # The project itself: no dependencies resolved, no unpinned build backend fetched.
    for text in (makefile, dockerfile):
        installs = re.findall(r"pip install[^\n&]*", text)
        for install in installs:
            assert (
                "--require-hashes" in install
                or "--no-deps --no-build-isolation" in install
                or ("pip-tools==" in install)
            ), install
    assert re.search(r"^lock:", makefile, re.MULTILINE)


def test_renovate_watches_python_npm_and_the_base_images():
    config = json.loads((ROOT / "renovate.json").read_text())
    managers = set(config["enabledManagers"])
    assert {"pip-compile", "pep621", "npm", "dockerfile"} <= managers
    assert config["pip-compile"]["managerFilePatterns"] == ["/^requirements/.*\\.txt$/"]
    # Python stays on 3.11 and Node on an LTS line until someone decides otherwise.
    rules = {rule.get("description", ""): rule for rule in config["packageRules"]}
    assert any("python" in rule.get("matchPackageNames", []) for rule in rules.values())
    assert any("node" in rule.get("matchPackageNames", []) for rule in rules.values())
