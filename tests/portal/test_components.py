"""The portal's look comes from the Utrecht component library; our own CSS is layout and tokens
(ADR 0165). These tests read the stylesheets and every place that writes a class attribute
(templates, the form and template-tag Python, static/js) and fail when:

- a `tandem-*` class in static/css is not on the list of layout classes below (a new one that
  duplicates a component, e.g. a hand-made alert or badge, must use the component instead);
- a `tandem-*` class is used but defined nowhere, or defined but used nowhere (dead CSS);
- a `utrecht-*` class is used that the vendored component library does not define.
"""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

BASE = Path(settings.BASE_DIR)

# Layout (page grid, spacing, scroll boxes) and the few patterns the component library (9.0) has
# no component for. Each with why it is ours; ADR 0165 has the same list.
LAYOUT_CLASSES = {
    "tandem-theme": "the token scope on <html>: the theme's custom properties",
    "tandem-body": "page grid: header, main and footer in a column of full height",
    "tandem-container": "page grid: the centred 72rem column",
    "tandem-main": "page grid: the main region's spacing",
    "tandem-narrow": "page grid: a narrow column for short forms",
    "tandem-header": "the page header's band (owned by the theme with the logo)",
    "tandem-header__inner": "layout of the header: logo and account side by side",
    "tandem-logo": "the word mark (no logo component in the library)",
    "tandem-logo__sub": "the word mark's subtitle",
    "tandem-account": "layout of the account links in the header",
    "tandem-inline-form": "layout: a one-button form that flows inline",
    "tandem-footer": "the page footer's band",
    "tandem-footer__inner": "layout of the footer: links and language choice side by side",
    "tandem-footer__links": "layout: the footer's links in a row",
    "tandem-language": "layout of the language form in the footer",
    "tandem-messages": "layout: the stack of messages (utrecht-alert each) above the content",
    "tandem-form": "spacing around a form",
    "tandem-required": "the '(required)' note in a label, lighter than the label",
    "tandem-choices": "layout: the options of a radio or checkbox group, a scroll box when filtered",
    "tandem-choice-filter": "spacing of the search box above a long checkbox list (ADR 0111)",
    "tandem-choice-filter__status": "spacing of that search box's live count",
    "tandem-cards": "layout: a grid of cards",
    "tandem-card": "a bordered card (no card component in the library)",
    "tandem-card__org": "the card's muted organisation line",
    "tandem-filters": "layout: filter fields in a row on a tinted band",
    "tandem-tabs__list": "the referral inbox's tab row (no tabs component in the library)",
    "tandem-tabs__link": "a tab of that row",
    "tandem-muted": "secondary text colour",
    "tandem-nowrap": "no line break inside (dates, counts)",
    "tandem-prewrap": "a user's text with its line breaks kept",
    "tandem-action": "a bordered <details> with an action's form (no disclosure component)",
    "tandem-action__summary": "its summary line, a 44px target",
    "tandem-disclosure": "a plain <details> disclosure (no disclosure component)",
    "tandem-timeline": "the referral's history as a line of events",
    "tandem-timeline__item": "an event on that line",
    "tandem-timeline__item--message": "a message on that line",
    "tandem-timeline__note": "an event's note",
    "tandem-notifications": "layout: the list of notifications",
    "tandem-notification": "a notification in that list",
    "tandem-notification--unread": "an unread notification's marker",
    "tandem-import-changes": "layout: the changes an import makes",
    "tandem-section": "spacing between sections",
    "tandem-section-heading": "spacing above a section heading",
    "tandem-section-problems": "spacing of a section's problems in a multi-part form",
    "tandem-qr": "the two-step verification QR code's size",
    "tandem-secret": "a secret to type over: monospace, wraps anywhere",
    "tandem-steps": "spacing of numbered set-up steps",
    "tandem-recovery-codes": "layout: recovery codes in a grid",
    "tandem-dialog": "the session-timeout <dialog> (no dialog component in the library)",
    "tandem-key-figures": "layout: the key figures in a grid",
    "tandem-key-figure": "a key figure's box",
    "tandem-key-figure__explanation": "a key figure's explanation line",
    "tandem-chart-table": "the <details> with a chart's table",
    "tandem-report-section": "spacing between report sections",
    "tandem-report-block": "spacing between a report's blocks",
    "tandem-chart-figure": "a chart's width",
    "tandem-chart": "an SVG chart scaling with its figure",
    "tandem-report-actions": "layout: the report's download links in a row",
    "tandem-report-status": "spacing of a report's status block",
    "tandem-hash": "a checksum that wraps anywhere",
    "tandem-similar": "the similar cases aside, set off by a rule",
    "tandem-error-summary": "the error summary's focus outline (ADR 0118); the box is utrecht-alert",
    "tandem-busy": "the page-wide busy indicator's position (ADR 0120)",
}

# Templates another change is rewriting at the same time; they still carry the old classes
# and are converted when it lands. Remove a file from here once it is converted: the test
# below fails while a listed file no longer needs it.
NOT_YET_CONVERTED = {
    "templates/referrals/form.html",
    "templates/referrals/summary.html",
}

CSS_SELECTOR_CLASS = re.compile(r"\.(tandem-[a-z0-9_-]*[a-z0-9])")
# Where markup names classes: class="…" in templates and format_html strings, "class": "…" in
# widget attrs, className = "…" in scripts.
CLASS_ATTRIBUTE = re.compile(r"""(?:\bclass=|["']class["']\s*:\s*|\bclassName\s*=\s*)(["'])(.*?)\1""", re.S)
PYTHON_DIRS = ("portal", "contacts", "referrals", "agenda", "escalations", "reporting", "security")


def _stylesheets():
    return sorted((BASE / "static" / "css").glob("*.css"))


def _without_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def _defined_classes():
    defined = {}
    for path in _stylesheets():
        for name in CSS_SELECTOR_CLASS.findall(_without_comments(path.read_text())):
            defined.setdefault(name, path.name)
    return defined


def _markup_files():
    yield from sorted((BASE / "templates").rglob("*.html"))
    yield from sorted((BASE / "static" / "js").glob("*.js"))
    for directory in PYTHON_DIRS:
        for path in sorted((BASE / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _used_classes(prefix):
    """{class: {file}} for every class starting with `prefix` in a class attribute. A class
    built in the template (`tandem-x--{{ kind }}`) is kept as its fixed start, ending in -/_."""
    used = {}
    for path in _markup_files():
        relative = str(path.relative_to(BASE))
        for _, value in CLASS_ATTRIBUTE.findall(path.read_text()):
            for token in re.findall(rf"(?<![a-z0-9_-]){prefix}[a-z0-9_-]*", value):
                used.setdefault(token, set()).add(relative)
    return used


def _is_defined(token, defined):
    if token.endswith(("-", "_")):  # a class completed in the template
        return any(name.startswith(token) for name in defined)
    return token in defined


def test_every_tandem_class_in_the_stylesheets_is_layout_not_a_component():
    defined = _defined_classes()
    assert defined, "no tandem-* classes found: the parser is broken"
    unknown = {name: sheet for name, sheet in defined.items() if name not in LAYOUT_CLASSES}
    assert not unknown, (
        "tandem-* classes that are not on the layout list: use the Utrecht component instead, "
        f"or, for layout only, add it to LAYOUT_CLASSES with the reason (ADR 0165): {unknown}"
    )


def test_every_tandem_class_used_is_defined():
    defined = _defined_classes()
    used = _used_classes("tandem-")
    assert used, "no tandem-* classes found in the markup: the parser is broken"
    undefined = {
        token: sorted(files - NOT_YET_CONVERTED)
        for token, files in used.items()
        if not _is_defined(token, defined) and files - NOT_YET_CONVERTED
    }
    assert not undefined, f"tandem-* classes used but not defined in static/css: {undefined}"


def test_every_tandem_class_defined_is_used():
    defined = _defined_classes()
    used = _used_classes("tandem-")
    dynamic = [token for token in used if token.endswith(("-", "_"))]
    unused = sorted(
        name for name in defined if name not in used and not any(name.startswith(t) for t in dynamic)
    )
    assert not unused, f"tandem-* classes defined in static/css that no markup uses: {unused}"


def test_the_layout_list_names_only_classes_that_exist():
    defined = _defined_classes()
    stale = sorted(set(LAYOUT_CLASSES) - set(defined))
    assert not stale, f"LAYOUT_CLASSES lists classes static/css no longer defines: {stale}"


def test_the_not_yet_converted_templates_still_need_their_exception():
    defined = _defined_classes()
    used = _used_classes("tandem-")
    for template in NOT_YET_CONVERTED:
        assert (BASE / template).exists(), template
        stale = [t for t, files in used.items() if template in files and not _is_defined(t, defined)]
        assert stale, f"{template} uses only defined classes now: remove it from NOT_YET_CONVERTED"


def test_every_utrecht_class_used_exists_in_the_component_library():
    library = Path(finders.find("vendor/utrecht/index.css")).read_text()
    known = set(re.findall(r"\.(utrecht-[a-zA-Z0-9_-]*[a-zA-Z0-9])", library))
    used = _used_classes("utrecht-")
    assert len(used) > 20, "too few utrecht-* classes found: the parser is broken"
    invented = {
        token: sorted(files)
        for token, files in used.items()
        if not (token.endswith(("-", "_")) and any(k.startswith(token) for k in known)) and token not in known
    }
    assert not invented, f"utrecht-* classes the component library does not define: {invented}"


def test_the_class_attribute_reader_finds_what_it_should():
    """The readers above are regular expressions: pin what they see in each kind of file."""
    sample = (
        '<div class="utrecht-alert utrecht-alert--{{ tags }} tandem-messages">'
        '<span class="{% if a %}tandem-muted{% endif %}">'
    )
    tokens = [t for _, v in CLASS_ATTRIBUTE.findall(sample) for t in re.findall(r"tandem-[a-z0-9_-]*", v)]
    assert tokens == ["tandem-messages", "tandem-muted"]
    assert (
        CLASS_ATTRIBUTE.findall('attrs={"class": "utrecht-textbox--numeric"}')[0][1]
        == "utrecht-textbox--numeric"
    )
    assert CLASS_ATTRIBUTE.findall('box.className = "tandem-choice-filter";')[0][1] == "tandem-choice-filter"
    css = "/* .tandem-gone */ .tandem-a > .tandem-b__c:focus, .tandem-d--e { x: y; }"
    assert CSS_SELECTOR_CLASS.findall(_without_comments(css)) == ["tandem-a", "tandem-b__c", "tandem-d--e"]
