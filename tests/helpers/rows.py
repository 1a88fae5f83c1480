"""Row writers (ADR 0177) held to the template row they replaced."""

import re

from django.template import engines


def normalised(html):
    """Without the whitespace between tags that the template's indentation left."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def assert_written_as_template(template_row, objects, name, write, url_of):
    """For every object: the template row (rendered with the object as `name`) contains the
    object's link `url_of(obj)`, and `write(obj, url)` writes the same markup."""
    template = engines["django"].from_string(template_row)
    for obj in objects:
        expected = template.render({name: obj})
        url = url_of(obj)
        assert url in expected
        assert normalised(write(obj, url)) == normalised(expected), obj
