"""Running text from the data as the pages show it. Curators write a prefixed name where a rationale
refers to another resource of the catalogue ("…and to iv:initieren-stimuleren, because…"); a page
shows that resource's name in the page's language instead, linked to its page. A prefixed name of
no known resource stays as written."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

from plgkg.namespaces import ID, ID_KINDS

NAME = re.compile(
    r"(?<![\w/#:.-])(" + "|".join(sorted(map(re.escape, ID_KINDS), key=len, reverse=True)) + r")"
    r":([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?)"
)


def prose(text: str | None, labels: Callable[[], Mapping[str, str]], href: Callable[[str], str]) -> Markup:
    """text as HTML: escaped, each prefixed name of a catalogue resource whose label labels() knows
    a link (href of its IRI) named by that label. labels is only called when text has one."""
    if not text:
        return Markup("")
    out, last = [], 0
    for match in NAME.finditer(text):
        iri = f"{ID}{ID_KINDS[match.group(1)]}/{match.group(2)}"
        label = labels().get(iri)
        if label is None:
            continue
        out.append(str(escape(text[last : match.start()])))
        out.append(f'<a href="{escape(href(iri))}">{escape(label)}</a>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
