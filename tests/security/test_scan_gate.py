"""The verdict of `make scan` (scripts/scan/gate.py, ADR 0160), fed with sample output of wapiti,
sqlmap, the hostile-input checks and the server log: what fails the scan, what is accepted."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location("tandem_scan_gate", ROOT / "scripts" / "scan" / "gate.py")
gate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gate)


def wapiti_item(path, level, info="", parameter=""):
    return {
        "method": "GET",
        "path": path,
        "info": info,
        "level": level,
        "parameter": parameter,
        "referer": "",
        "module": "x",
        "http_request": "GET / HTTP/1.1",
        "curl_command": "curl",
        "wstg": ["WSTG-SESS-02"],
    }


def wapiti_report(vulnerabilities=None, anomalies=None):
    return {
        "classifications": {},
        "vulnerabilities": vulnerabilities or {},
        "anomalies": anomalies or {},
        "additionals": {},
        "infos": {"target": "http://127.0.0.1:1/"},
    }


def write(directory, name, data):
    path = directory / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_only_accepted_low_findings_pass(tmp_path):
    write(
        tmp_path,
        "wapiti-school_coordinator.json",
        wapiti_report(
            {
                "Secure Flag cookie": [
                    wapiti_item("/", 1, "Secure flag is not set in the cookie : csrftoken")
                ],
                "Cross Site Scripting": [],
            }
        ),
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is True
    assert report["counts"]["wapiti"] == {"info": 0, "low": 1, "medium": 0, "high": 0, "critical": 0}
    assert report["findings"][0]["accepted"]
    assert "PASSED" in (tmp_path / "report.md").read_text()
    assert json.loads((tmp_path / "report.json").read_text())["passed"] is True


def test_a_medium_wapiti_finding_fails(tmp_path):
    write(
        tmp_path,
        "wapiti-registry_admin.json",
        wapiti_report(
            {"Content Security Policy Configuration": [wapiti_item("/netwerk/", 2, "CSP not set")]}
        ),
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is False
    assert [f["url"] for f in report["failing_findings"]] == ["GET /netwerk/"]
    assert report["failing_findings"][0]["role"] == "registry_admin"
    assert gate.main([str(tmp_path)]) == 1


def test_an_accepted_finding_does_not_hide_another_category(tmp_path):
    write(
        tmp_path,
        "wapiti-anonymous.json",
        wapiti_report(
            {
                "Secure Flag cookie": [wapiti_item("/", 1)],
                "SQL Injection": [wapiti_item("/aanmeldingen/", 3, "SQL injection", "q")],
            }
        ),
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is False
    assert [f["category"] for f in report["failing_findings"]] == ["SQL Injection"]
    assert report["counts"]["wapiti"]["high"] == 1


def test_a_wapiti_internal_server_error_anomaly_is_a_5xx(tmp_path):
    write(
        tmp_path,
        "wapiti-privacy_officer.json",
        wapiti_report(anomalies={"Internal Server Error": [wapiti_item("/toegangslog/", 3, "500 on q")]}),
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is False
    assert report["errors_5xx"] == [
        {"source": "wapiti/privacy_officer", "status": 500, "url": "GET /toegangslog/", "info": "500 on q"}
    ]
    assert "5xx answers: 1" in (tmp_path / "report.md").read_text()


def test_sqlmap_injectable_parameter_is_high_and_its_500s_are_counted(tmp_path):
    write(
        tmp_path,
        "sqlmap-district_worker.csv",
        "Target URL,Place,Parameter,Technique(s),Note(s)\n"
        "http://127.0.0.1:1/aanmeldingen/inbox/?q=x,GET,q,BE,\n",
    )
    write(
        tmp_path,
        "sqlmap-district_worker.log",
        "[INFO] testing 'AND boolean-based blind'\n"
        "HTTP error codes detected during run:\n500 (Internal Server Error) - 7 times\n"
        "404 (Not Found) - 2 times\n",
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is False
    assert [(f["severity"], f["parameter"]) for f in report["findings"]] == [("high", "q")]
    assert report["errors_5xx"] == [
        {
            "source": "sqlmap/district_worker",
            "status": 500,
            "url": "(see sqlmap log)",
            "info": "Internal Server Error, 7 times",
        }
    ]


def test_sqlmap_with_nothing_injectable_and_only_4xx_passes(tmp_path):
    write(
        tmp_path,
        "sqlmap-anonymous.csv",
        "Target URL,Place,Parameter,Technique(s),Note(s)\n"
        "http://127.0.0.1:1/i18n/setlang/,POST,language,B,false positive or unexploitable\n",
    )
    write(
        tmp_path,
        "sqlmap-anonymous.log",
        "[WARNING] all tested parameters do not appear to be injectable\n"
        "HTTP error codes detected during run:\n403 (Forbidden) - 12 times\n",
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is True
    assert [(f["category"], f["severity"]) for f in report["findings"]] == [
        ("SQL injection (disproved by sqlmap)", "info")
    ]
    assert report["tools"]["sqlmap"] == ["anonymous"]
    assert report["errors_5xx"] == []


def test_hostile_results_and_the_server_log(tmp_path):
    write(
        tmp_path,
        "hostile-school_coordinator.json",
        {
            "stats": {"requests": 12},
            "findings": [
                {
                    "category": "CSRF-less POST not refused",
                    "severity": "high",
                    "url": "POST /x/",
                    "info": "200",
                }
            ],
            "errors": [],
        },
    )
    write(
        tmp_path,
        "server.log",
        "serve: started web pid=1\n"
        + json.dumps({"level": "INFO", "method": "GET", "path": "/", "status": 200})
        + "\n"
        + json.dumps({"level": "ERROR", "method": "POST", "path": "/aanmeldingen/nieuw/", "status": 500})
        + "\nnot json {\n"
        + "[2026-12-02 15:00:00 +0000] [12] [CRITICAL] WORKER TIMEOUT (pid:13)\n",
    )
    report = gate.gate(tmp_path)
    assert report["passed"] is False
    assert report["meta"]["hostile requests"] == 12
    assert [f["category"] for f in report["failing_findings"]] == ["CSRF-less POST not refused"]
    assert [(e["status"], e["url"]) for e in report["errors_5xx"]] == [
        (500, "POST /aanmeldingen/nieuw/"),
        (502, "(gunicorn worker timeout)"),
    ]


def test_an_empty_directory_passes_with_no_tools(tmp_path):
    report = gate.gate(tmp_path)
    assert (report["passed"], report["tools"], report["findings"], report["errors_5xx"]) == (True, {}, [], [])


_hspec = importlib.util.spec_from_file_location(
    "tandem_scan_hostile", ROOT / "scripts" / "scan" / "hostile.py"
)
hostile = importlib.util.module_from_spec(_hspec)
_hspec.loader.exec_module(hostile)


def test_hostile_url_patterns_fold_ids_and_query_values():
    assert (
        hostile.url_pattern("/aanmeldingen/c191ba87-494f-5b3f-8543-1c900f982f62/bericht/12/?page=3&q=a")
        == "/aanmeldingen/U/bericht/N/?page&q"
    )


def test_hostile_form_values_replace_every_field_but_the_csrf_token():
    parser = hostile.PageParser()
    parser.feed(
        '<form method="post" enctype="multipart/form-data"><input type="hidden" name="csrfmiddlewaretoken"'
        ' value="t"><input name="title" value="a"><select name="kind"><option value="1">x</option></select>'
        '<input type="file" name="file"><button name="action" value="save">Save</button></form>'
    )
    (form,) = parser.forms
    fields, files = hostile.form_values(form, "nul", "token")
    assert fields == [
        ("csrfmiddlewaretoken", "token"),
        ("title", "a\x00b"),
        ("kind", "a\x00b"),
        ("action", "save"),
    ]
    assert files == []
    fields, files = hostile.form_values(form, "oversized", None)
    assert ("csrfmiddlewaretoken", "token") not in fields
    assert [(name, len(content) > 10 * 1024 * 1024) for name, _f, content, _t in files] == [("file", True)]
