"""`make scan`'s verdict (ADR 0160): reads what wapiti, sqlmap, the hostile-input checks and the
server log left in the scan directory, writes report.json and report.md, and says whether the
scan passes: no finding of medium or higher severity that is not accepted, and no 5xx answer.

Inputs (all optional; a tool that left nothing is reported as "not run"):
  wapiti-<role>.json    wapiti's JSON report (vulnerabilities/anomalies, level 0 info .. 4 critical)
  sqlmap-<role>.csv     sqlmap's --results-file (one row per injectable parameter)
  sqlmap-<role>.log     sqlmap's console output ("HTTP error codes detected during run")
  hostile-<role>.json   scripts/scan/hostile.py's results
  server.log            the stack's JSON log lines (method, path, status per request)

`python scripts/scan/gate.py DIR` exits 0 when the scan passes, 1 otherwise.
"""

import csv
import json
import re
import sys
from pathlib import Path

SEVERITIES = ("info", "low", "medium", "high", "critical")
WAPITI_LEVELS = dict(enumerate(SEVERITIES))  # wapitiCore.language.vulnerability: 0 info .. 4 critical
FAILING = {"medium", "high", "critical"}

# Findings that are known and accepted, with the reason (ADR 0160). A finding is accepted when its
# tool and category match and every given text fragment occurs in its info.
ACCEPTED = [
    {
        "tool": "wapiti",
        "category": "Secure Flag cookie",
        "reason": "the scan serves plain http on 127.0.0.1; production sets DJANGO_SECURE_COOKIES=true "
        "(Secure, __Host- prefixed cookies), checked by `manage.py check --deploy`",
    },
    {
        "tool": "wapiti",
        "category": "HTTP Strict Transport Security (HSTS)",
        "reason": "HSTS only means something over https; production sends it (DJANGO_HSTS_SECONDS)",
    },
]


def _accepted(finding):
    for rule in ACCEPTED:
        if rule["tool"] == finding["tool"] and rule["category"] == finding["category"]:
            return rule["reason"]
    return None


def _finding(tool, role, category, severity, url, info="", parameter=""):
    finding = {
        "tool": tool,
        "role": role,
        "category": category,
        "severity": severity,
        "url": url,
        "parameter": parameter,
        "info": info,
    }
    finding["accepted"] = _accepted(finding)
    return finding


def _role(path, prefix):
    return path.stem.removeprefix(prefix)


def read_wapiti(path):
    """Findings and 5xx answers from one wapiti JSON report."""
    role = _role(path, "wapiti-")
    data = json.loads(path.read_text(encoding="utf-8"))
    findings, errors = [], []
    for category, items in (data.get("vulnerabilities") or {}).items():
        for item in items:
            severity = WAPITI_LEVELS.get(int(item.get("level", 0)), "critical")
            findings.append(
                _finding(
                    "wapiti",
                    role,
                    category,
                    severity,
                    f"{item.get('method', 'GET')} {item.get('path', '')}",
                    item.get("info", ""),
                    item.get("parameter", ""),
                )
            )
    for category, items in (data.get("anomalies") or {}).items():
        for item in items:
            url = f"{item.get('method', 'GET')} {item.get('path', '')}"
            if category == "Internal Server Error":
                errors.append(
                    {"source": f"wapiti/{role}", "status": 500, "url": url, "info": item.get("info", "")}
                )
            else:
                severity = WAPITI_LEVELS.get(int(item.get("level", 0)), "critical")
                findings.append(
                    _finding(
                        "wapiti",
                        role,
                        category,
                        severity,
                        url,
                        item.get("info", ""),
                        item.get("parameter", ""),
                    )
                )
    return findings, errors


HTTP_CODES = re.compile(r"^(\d{3}) \(([^)]*)\) - (\d+) times", re.MULTILINE)


def read_sqlmap(csv_path=None, log_path=None):
    """Injectable parameters (high) from sqlmap's results CSV, except those sqlmap itself found
    to be a false positive (info); 5xx counts from its console log."""
    path = csv_path or log_path
    role = _role(path, "sqlmap-")
    findings, errors = [], []
    if csv_path and csv_path.exists():
        with csv_path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                if not row.get("Parameter"):
                    continue
                # sqlmap re-checks every candidate; one it disproved is kept as information.
                disproved = "false positive" in row.get("Note(s)", "").lower()
                findings.append(
                    _finding(
                        "sqlmap",
                        role,
                        "SQL injection (disproved by sqlmap)" if disproved else "SQL injection",
                        "info" if disproved else "high",
                        row.get("Target URL", ""),
                        f"place {row.get('Place', '')}, technique(s) {row.get('Technique(s)', '')}",
                        row.get("Parameter", ""),
                    )
                )
    if log_path and log_path.exists():
        for code, name, times in HTTP_CODES.findall(log_path.read_text(encoding="utf-8", errors="replace")):
            if code.startswith("5"):
                errors.append(
                    {
                        "source": f"sqlmap/{role}",
                        "status": int(code),
                        "url": "(see sqlmap log)",
                        "info": f"{name}, {times} times",
                    }
                )
    return findings, errors


def read_hostile(path):
    role = _role(path, "hostile-")
    data = json.loads(path.read_text(encoding="utf-8"))
    findings = [
        _finding(
            "hostile", role, f["category"], f["severity"], f["url"], f.get("info", ""), f.get("parameter", "")
        )
        for f in data.get("findings", [])
    ]
    errors = [{"source": f"hostile/{role}", **e} for e in data.get("errors", [])]
    return findings, errors, data.get("stats", {})


def read_server_log(path):
    """Every request the stack answered with 5xx (the JSON log lines of portal/request_id.py)."""
    errors = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if "WORKER TIMEOUT" in line:  # gunicorn killed a request that ran past GUNICORN_TIMEOUT
            errors.append(
                {"source": "server", "status": 502, "url": "(gunicorn worker timeout)", "info": line[-200:]}
            )
            continue
        start = line.find("{")
        if start < 0:
            continue
        try:
            record = json.loads(line[start:])
        except ValueError:
            continue
        status = record.get("status") if isinstance(record, dict) else None
        if isinstance(status, int) and status >= 500:
            errors.append(
                {
                    "source": "server",
                    "status": status,
                    "url": f"{record.get('method', '')} {record.get('path', '')}",
                }
            )
    return errors


def collect(directory):
    directory = Path(directory)
    findings, errors, tools, hostile_stats = [], [], {}, {}
    for path in sorted(directory.glob("wapiti-*.json")):
        f, e = read_wapiti(path)
        findings += f
        errors += e
        tools.setdefault("wapiti", []).append(_role(path, "wapiti-"))
    roles = {_role(p, "sqlmap-") for p in directory.glob("sqlmap-*.csv")} | {
        _role(p, "sqlmap-") for p in directory.glob("sqlmap-*.log")
    }
    for role in sorted(roles):
        f, e = read_sqlmap(directory / f"sqlmap-{role}.csv", directory / f"sqlmap-{role}.log")
        findings += f
        errors += e
        tools.setdefault("sqlmap", []).append(role)
    for path in sorted(directory.glob("hostile-*.json")):
        f, e, stats = read_hostile(path)
        findings += f
        errors += e
        hostile_stats[_role(path, "hostile-")] = stats
        tools.setdefault("hostile", []).append(_role(path, "hostile-"))
    if (directory / "server.log").exists():
        errors += read_server_log(directory / "server.log")
        tools.setdefault("server log", []).append("all")
    return findings, errors, tools, hostile_stats


def summarise(findings, errors, tools, meta=None):
    counts = {}
    for f in findings:
        per_tool = counts.setdefault(f["tool"], dict.fromkeys(SEVERITIES, 0))
        per_tool[f["severity"]] += 1
    failing = [f for f in findings if f["severity"] in FAILING and not f["accepted"]]
    return {
        "passed": not failing and not errors,
        "meta": meta or {},
        "tools": tools,
        "counts": counts,
        "failing_findings": failing,
        "errors_5xx": errors,
        "findings": findings,
    }


def _line(f):
    return f"[{f['severity']}] {f['tool']}/{f['role']}: {f['category']} at {f['url']} {f['parameter']}"


def markdown(report):
    lines = ["# Security scan report", ""]
    lines.append(f"Result: **{'PASSED' if report['passed'] else 'FAILED'}**")
    for key, value in report["meta"].items():
        lines.append(f"- {key}: {value}")
    lines += ["", "## Findings per tool and severity", "", "| tool | " + " | ".join(SEVERITIES) + " |"]
    lines.append("|---" * (len(SEVERITIES) + 1) + "|")
    for tool in sorted(set(report["counts"]) | set(report["tools"])):
        row = report["counts"].get(tool, dict.fromkeys(SEVERITIES, 0))
        lines.append(f"| {tool} | " + " | ".join(str(row[s]) for s in SEVERITIES) + " |")
    lines += ["", f"## 5xx answers: {len(report['errors_5xx'])}", ""]
    for e in report["errors_5xx"]:
        lines.append(f"- {e['status']} {e['url']} ({e['source']}{', ' + e['info'] if e.get('info') else ''})")
    lines += [
        "",
        f"## Failing findings (medium or higher, not accepted): {len(report['failing_findings'])}",
        "",
    ]
    for f in report["failing_findings"]:
        lines.append(f"- {_line(f)} — {f['info'][:200]}")
    lines += ["", "## All findings", ""]
    seen = set()
    for f in report["findings"]:
        key = (f["tool"], f["category"], f["severity"], f["url"], f["parameter"])
        if key in seen:
            continue
        seen.add(key)
        note = f" (accepted: {f['accepted']})" if f["accepted"] else ""
        lines.append(f"- {_line(f)}{note}")
    return "\n".join(lines) + "\n"


def gate(directory, meta=None):
    findings, errors, tools, hostile_stats = collect(directory)
    meta = dict(meta or {})
    if hostile_stats:
        meta["hostile requests"] = sum(s.get("requests", 0) for s in hostile_stats.values())
    report = summarise(findings, errors, tools, meta)
    directory = Path(directory)
    (directory / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    (directory / "report.md").write_text(markdown(report), encoding="utf-8")
    return report


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    directory = Path(argv[0] if argv else "build/scan")
    meta = json.loads(argv[1]) if len(argv) > 1 else None
    report = gate(directory, meta)
    print((directory / "report.md").read_text(encoding="utf-8"))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
