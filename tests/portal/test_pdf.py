"""The PDF writer's URL fetcher serves only the project's static files."""

import pytest

from portal.pdf import ForbiddenResource, StaticOnlyURLFetcher


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/style.css",
        "https://127.0.0.1/static/reporting/report.css",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file://evil.example/static/reporting/report.css",
        "data:text/css,body{}",
        "ftp://example.com/x",
        "file:///static/does-not-exist.css",
    ],
)
def test_url_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ForbiddenResource):
        StaticOnlyURLFetcher().fetch(url)


def test_url_fetcher_serves_the_report_stylesheet():
    response = StaticOnlyURLFetcher().fetch("file:///static/reporting/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_url_fetcher_serves_the_collected_hashed_copy(settings, tmp_path):
    """With DJANGO_DEBUG=false `{% static %}` names the hashed file collectstatic wrote; the
    PDF must get its stylesheet all the same."""
    (tmp_path / "reporting").mkdir()
    (tmp_path / "reporting" / "report.0123456789ab.css").write_text("@page { size: A4 }")
    settings.STATIC_ROOT = str(tmp_path)
    response = StaticOnlyURLFetcher().fetch("file:///static/reporting/report.0123456789ab.css")
    assert b"@page" in response.read()


def test_url_fetcher_refuses_what_static_root_does_not_hold(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    with pytest.raises(ForbiddenResource):
        StaticOnlyURLFetcher().fetch("file:///static/reporting/report.0123456789ab.css")
