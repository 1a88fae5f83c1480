"""The small comforts (ADR 0120-0122): a favicon, a print stylesheet, a busy state for htmx
requests, empty states that name the next step, and error pages that say what to do next."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]


def test_favicon_ico_redirects_to_the_static_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    icon = finders.find("img/favicon.svg")
    assert icon and Path(icon).read_text().lstrip().startswith("<svg")


def test_favicon_ico_needs_no_login_or_two_factor(client, world, require_2fa):
    client.force_login(world.user("school_coordinator"))
    assert client.get("/favicon.ico").status_code == 302


def test_base_template_links_icon_print_stylesheet_and_busy_script(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
    assert f'<link rel="stylesheet" href="{static("css/print.css")}" media="print">' in html
    assert f'src="{static("js/busy.js")}" defer nonce=' in html
    assert 'id="busy-indicator"' in html and 'role="status" hidden' in html


def test_print_stylesheet_hides_navigation_and_controls():
    css = Path(finders.find("css/print.css")).read_text()
    hidden = css.split("{", 1)[0]
    for selector in (".utrecht-nav-bar", ".tandem-footer", ".tandem-account", "main form", "main button"):
        assert selector in hidden
    assert "content: attr(href)" not in css  # the links' addresses are not printed


def _makefile_targets():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    return sorted({m for m in re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M)})


def test_no_template_tells_a_user_to_run_a_shell_command():
    targets = "|".join(map(re.escape, _makefile_targets()))
    shell = re.compile(rf"manage\.py|\bmake (?:{targets})\b")
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if shell.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert not offenders, offenders


def test_empty_agenda_page_names_whom_to_ask(client, world):
    client.force_login(world.user("steering_member"))
    html = client.get(reverse("agenda:index")).content.decode()
    assert "Er is nog geen werkagenda." in html
    assert "functioneel beheerder" in html
    assert reverse("agenda:my_activities") in html
    assert "manage.py" not in html


def test_404_page_says_what_to_do_next(client, world):
    client.force_login(world.user("school_coordinator"))
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Wat kunt u doen?" in html
    assert f'href="{reverse("home")}"' in html
    assert "functioneel beheerder" in html


def test_403_page_says_what_to_do_next(client, world):
    client.force_login(world.user("school_coordinator"))
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Wat kunt u doen?" in html
    assert f'href="{reverse("home")}"' in html
    assert "functioneel beheerder" in html
