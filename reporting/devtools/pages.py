"""Reading the return page as a browser and a person would: its form's fields, and the values it
asks to confirm (the Locust users of make load and make soak; kept apart from Locust so tests can
import it without Locust's gevent patching)."""

import re
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields of the return entry form, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


OUTLIERS = re.compile(r'<div class="nhsuk-warning-callout" id="outliers">(.*?)</div>', re.S)


def outlier_notes(html):
    """The note fields of the values the return page lists as outside their usual range."""
    block = OUTLIERS.search(html)
    return re.findall(r'href="#id_([^"]+-note)"', block.group(1)) if block else []
