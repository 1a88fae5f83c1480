"""The project's own hostile-input checks of `make scan` (ADR 0160).

For one logged-in session (or none): crawl the site (same origin, GET only, bounded), collect
every form, and submit each form with hostile values — NUL characters, 10,000 characters,
script tags, SQL fragments, emoji, wrong types (text in number/date/choice fields, repeated
values) and, for file fields, a file over the attachment limit — plus one POST without a CSRF
token. Findings:
- any 5xx answer (recorded as an error with its URL; the gate fails on it);
- a CSRF-less POST that is not refused with 403 (high);
- no answer within the timeout (medium).
Results go to a JSON file the gate reads; the crawl's GET URLs with parameters and the pages
with forms go to a targets file for sqlmap.
"""

import http.client
import json
import re
import sys
import time
import urllib.parse
import uuid
from html.parser import HTMLParser

TIMEOUT = 60
NUL = "a\x00b"
PAYLOADS = {
    "nul": lambda field: NUL,
    "long": lambda field: "x" * 10_000,
    "script": lambda field: '<script>alert("tandem")</script>"><img src=x onerror=alert(1)>',
    "sql": lambda field: "' OR '1'='1'; DROP TABLE referrals_referral; --",
    "emoji": lambda field: "🧒🏽👨‍👩‍👧 \u202e ﷽ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "wrong_type": lambda field: {
        "number": "NaN",
        "date": "2026-02-31",
        "datetime-local": "yesterday",
        "email": "not-an-email",
        "select": "999999999",
        "checkbox": "-1",
        "radio": "' OR 1=1",
        "hidden": "-1",
    }.get(field["type"], "1e999"),
}
SKIP_FIELDS = {"csrfmiddlewaretoken"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class PageParser(HTMLParser):
    """Links and forms of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for attr in ("hx-get",):
            if a.get(attr):
                self.links.append(a[attr])
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "enctype": a.get("enctype") or "",
                "fields": [],
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if a.get("value") is not None:
                    self._form["fields"].append(
                        {"name": a["name"], "type": "submit", "value": a.get("value", "")}
                    )
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].append(
                    {"name": a["name"], "type": kind, "value": a.get("value", "on"), "unchecked": True}
                )
                return
            self._form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value", "")})
        elif tag == "button" and a.get("name"):
            self._form["fields"].append({"name": a["name"], "type": "submit", "value": a.get("value", "")})
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "value": None}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select["value"] is None or "selected" in a:
                self._select["value"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            if self._select is not None and self._select["value"] is None:
                self._select["value"] = ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Client:
    def __init__(self, base, cookies, stats):
        self.base = base
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = dict(cookies)
        self.stats = stats

    def cookie_header(self, without=()):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if k not in without)

    def request(self, method, path, body=None, content_type=None, without_cookies=()):
        headers = {"Cookie": self.cookie_header(without_cookies), "Referer": self.base + "/"}
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        self.stats["requests"] += 1
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    val = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or not val.strip('"'):
                        continue
                    if name not in without_cookies:
                        self.cookies[name] = val
            return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data
        finally:
            conn.close()


def url_pattern(path):
    """/aanmeldingen/12/bericht/?page=3 -> /aanmeldingen/N/bericht/?page"""
    parts = urllib.parse.urlsplit(path)
    query = "&".join(sorted({k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)}))
    path = UUID.sub("U", parts.path)
    return re.sub(r"\d+", "N", path) + ("?" + query if query else "")


def in_scope(path, excluded):
    return (
        path.startswith("/") and not path.startswith("//") and not any(path.startswith(e) for e in excluded)
    )


def crawl(client, start, excluded, max_pages, per_pattern, deadline):
    seen, queue, pages, patterns = set(), list(start), [], {}
    while queue and len(pages) < max_pages and time.monotonic() < deadline:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        pattern = url_pattern(path)
        if patterns.get(pattern, 0) >= per_pattern:
            continue
        patterns[pattern] = patterns.get(pattern, 0) + 1
        try:
            status, headers, body = client.request("GET", path)
        except (OSError, http.client.HTTPException) as exc:
            yield ("error", path, str(exc))
            continue
        yield ("status", path, status)
        if status in (301, 302, 303) and headers.get("location"):
            target = urllib.parse.urljoin(path, headers["location"])
            target = urllib.parse.urlsplit(target)
            if target.netloc in ("", f"{client.host}:{client.port}"):
                queue.append(urllib.parse.urlunsplit(("", "", target.path, target.query, "")))
            continue
        if status != 200 or "text/html" not in headers.get("content-type", ""):
            continue
        parser = PageParser()
        parser.feed(body.decode("utf-8", errors="replace"))
        pages.append((path, parser.forms))
        for link in parser.links:
            absolute = urllib.parse.urljoin(path, link)
            split = urllib.parse.urlsplit(absolute)
            if split.scheme not in ("", "http") or split.netloc not in ("", f"{client.host}:{client.port}"):
                continue
            local = urllib.parse.urlunsplit(("", "", split.path, split.query, ""))
            if in_scope(local, excluded) and local not in seen:
                queue.append(local)
    yield ("pages", pages, None)


def encode_multipart(fields, files):
    boundary = "scan" + uuid.uuid4().hex
    out = []
    for name, value in fields:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    for name, filename, content, ctype in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def form_values(form, payload_name, token):
    """(fields, files) for one hostile submission of a form."""
    fields, files = [], []
    payload = PAYLOADS.get(payload_name)
    for field in form["fields"]:
        name = field["name"]
        if name in SKIP_FIELDS:
            if token is not None:
                fields.append((name, token))
            continue
        if field["type"] == "file":
            if payload_name == "oversized":
                files.append(
                    (name, "groot.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "application/pdf")
                )
            elif payload_name == "script":
                files.append(
                    (name, '<script>x</script>".pdf', b"<script>alert(1)</script>", "application/pdf")
                )
            continue
        if field["type"] == "submit":
            fields.append((name, field["value"]))
            continue
        if payload is None:
            if not field.get("unchecked"):
                fields.append((name, field["value"] or ""))
            continue
        value = payload(field)
        fields.append((name, value))
        if payload_name == "wrong_type":
            fields.append((name, "[]"))  # a repeated value where one is expected
    return fields, files


def run(base, cookies, role, excluded, max_pages=150, per_pattern=2, budget=300):
    stats = {"requests": 0, "pages": 0, "forms": 0, "submissions": 0}
    client = Client(base, cookies, stats)
    deadline = time.monotonic() + budget
    findings, errors, pages = [], [], []

    def check(method, path, status, what):
        if status >= 500:
            errors.append({"status": status, "url": f"{method} {path}", "info": what})

    for kind, path, value in crawl(client, ["/"], excluded, max_pages, per_pattern, deadline):
        if kind == "status":
            check("GET", path, value, "crawl")
        elif kind == "error":
            findings.append(
                {"category": "No answer", "severity": "medium", "url": f"GET {path}", "info": value}
            )
        elif kind == "pages":
            pages = path
    stats["pages"] = len(pages)
    forms, seen = [], set()
    for page, page_forms in pages:
        for form in page_forms:
            action = urllib.parse.urljoin(page, form["action"]) if form["action"] else page
            split = urllib.parse.urlsplit(action)
            if split.netloc not in ("", f"{client.host}:{client.port}"):
                continue
            action = urllib.parse.urlunsplit(("", "", split.path, split.query, ""))
            if not in_scope(action, excluded):
                continue
            key = (form["method"], url_pattern(action), tuple(sorted(f["name"] for f in form["fields"])))
            if key in seen:
                continue
            seen.add(key)
            forms.append((page, action, form))
    stats["forms"] = len(forms)

    payload_names = [*PAYLOADS, "oversized"]
    for page, action, form in forms:
        if time.monotonic() > deadline:
            findings.append(
                {
                    "category": "Time bound reached",
                    "severity": "info",
                    "url": page,
                    "info": "forms left untested",
                }
            )
            break
        has_file = any(f["type"] == "file" for f in form["fields"])
        for payload_name in payload_names:
            if payload_name == "oversized" and not has_file:
                continue
            token = client.cookies.get("csrftoken")
            fields, files = form_values(form, payload_name, token)
            try:
                if form["method"] == "post":
                    if files or form["enctype"] == "multipart/form-data":
                        body, ctype = encode_multipart(fields, files)
                    else:
                        body = urllib.parse.urlencode(fields).encode()
                        ctype = "application/x-www-form-urlencoded"
                    status, _, _ = client.request("POST", action, body, ctype)
                    method = "POST"
                else:
                    query = urllib.parse.urlencode(fields)
                    path = urllib.parse.urlsplit(action).path + "?" + query
                    status, _, _ = client.request("GET", path)
                    method = "GET"
            except (OSError, http.client.HTTPException) as exc:
                findings.append(
                    {
                        "category": "No answer",
                        "severity": "medium",
                        "url": f"{form['method'].upper()} {action}",
                        "info": f"{payload_name}: {exc}",
                    }
                )
                continue
            stats["submissions"] += 1
            check(method, action, status, f"hostile {payload_name} from {page}")
        if form["method"] == "post":
            fields, files = form_values(form, None, None)
            body = urllib.parse.urlencode(fields).encode()
            try:
                status, _, _ = client.request(
                    "POST", action, body, "application/x-www-form-urlencoded", without_cookies=("csrftoken",)
                )
            except (OSError, http.client.HTTPException) as exc:
                findings.append(
                    {
                        "category": "No answer",
                        "severity": "medium",
                        "url": f"POST {action}",
                        "info": f"csrf-less: {exc}",
                    }
                )
                continue
            stats["submissions"] += 1
            check("POST", action, status, f"CSRF-less POST from {page}")
            if status != 403:
                findings.append(
                    {
                        "category": "CSRF-less POST not refused",
                        "severity": "high",
                        "url": f"POST {action}",
                        "info": f"answered {status} instead of 403 (form on {page})",
                    }
                )
    targets = {"get": [], "forms": []}
    tpatterns = set()
    for page, page_forms in pages:
        if "?" in page and url_pattern(page) not in tpatterns:
            tpatterns.add(url_pattern(page))
            targets["get"].append(page)
        if page_forms and url_pattern(page) not in tpatterns:
            tpatterns.add(url_pattern(page))
            targets["forms"].append(page)
    return {
        "role": role,
        "stats": stats,
        "findings": findings,
        "errors": errors,
        "targets": targets,
        "cookies": client.cookies,
    }


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    base, role, cookie_json, out = argv[:4]
    excluded = json.loads(argv[4]) if len(argv) > 4 else []
    budget = float(argv[5]) if len(argv) > 5 else 300
    result = run(base, json.loads(cookie_json), role, excluded, budget=budget)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
