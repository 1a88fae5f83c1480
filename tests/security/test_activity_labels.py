"""Every activity the code logs (AccessLog.activity) has words in the access log: the privacy
officer reads "startfoto vastgelegd", never the code "freeze"."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from referrals.workflow import ACTIONS
from security.accesslog import activity_label

ROOT = Path(__file__).resolve().parents[2]
APPS = ("agenda", "contacts", "escalations", "portal", "referrals", "reporting", "security")
# The calls that log an action, and the position of the activity among their arguments (the
# views' and services' small wrappers included).
LOGGING_CALLS = {"log_access": None, "log_action": 1, "_acted": 2, "_audit": 1}


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def logged_activities():
    """(file, activity) for every literal activity passed to a logging call in the apps."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call) or _name(node.func) not in LOGGING_CALLS:
                    continue
                position = LOGGING_CALLS[_name(node.func)]
                args = [kw.value for kw in node.keywords if kw.arg == "activity"]
                if position is not None and len(node.args) > position:
                    args.append(node.args[position])
                for arg in args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                        found.add((str(path.relative_to(ROOT)), arg.value))
    return sorted(found)


def test_the_scan_finds_the_logged_activities():
    codes = {code for _path, code in logged_activities()}
    assert {"message_posted", "two_factor_reset", "invitation_sent", "transition_updated", "freeze"} <= codes


@pytest.mark.parametrize(("path", "code"), logged_activities())
def test_every_logged_activity_has_a_label_in_dutch(path, code):
    with translation.override("nl"):
        label = str(activity_label(code))
    assert label and label != code, f"{path}: activity {code!r} has no label in security/accesslog.py"


def test_the_actions_speak_the_timelines_words():
    with translation.override("nl"):
        assert all(str(activity_label(name)) == str(action.label) for name, action in ACTIONS.items())
