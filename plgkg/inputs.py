"""What a user's RDF file may ask of the parser: nothing from the network or the disk, and nothing
that grows without bound (issue 11). Checked before rdflib sees the text.

* JSON-LD: a context is given inline. A context named by IRI or path (`"@context": "http://…"` or
  `"./ctx.json"`, also inside term definitions) and `@import` would make the parser fetch it (from
  the web, with no time limit, or from local files), so they are refused with a clear message.
* RDF/XML: a document type declaration may declare internal entities (as ontology editors write
  `<!ENTITY owl "http://www.w3.org/2002/07/owl#">` to shorten IRIs). They are expanded here, once,
  and the declaration removed: entities whose value holds another entity (the "billion laughs"),
  external entities (SYSTEM, PUBLIC: files and URLs), parameter entities and an expansion that
  would grow the text more than tenfold are refused. The parser then sees no DTD at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from plgkg.errors import InputRefused

EXPANSION_FACTOR = 10  # an expanded document may be at most this many times its size (plus 1 MB)

_DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\[>]*(?:\[(?P<subset>.*?)\]\s*)?>", re.DOTALL)
_ENTITY = re.compile(
    r"""<!ENTITY\s+(?P<name>[A-Za-z_][\w.\-]*)\s+(?P<quote>["'])(?P<value>.*?)(?P=quote)\s*>""",
    re.DOTALL,
)
_DECLARATION = re.compile(r"<!(?:ENTITY|ELEMENT|ATTLIST|NOTATION)\b[^>]*>|<!--.*?-->", re.DOTALL)
_REFERENCE = re.compile(r"&([A-Za-z_][\w.\-]*);")
_XML_ENTITIES = frozenset({"lt", "gt", "amp", "quot", "apos"})


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# --- JSON-LD --------------------------------------------------------------------------------------


def check_jsonld(text: str) -> None:
    """Refuse JSON-LD whose contexts are not all inline, or that imports one."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise InputRefused("the JSON nests too deeply") from None
    except json.JSONDecodeError as err:
        raise InputRefused(f"not JSON: {err.msg}", err.lineno) from None
    stack: list[object] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key == "@import":
                raise InputRefused(f"@import {value!r}: contexts are not fetched; give the context inline")
            if key == "@context":
                for context in value if isinstance(value, list) else [value]:
                    if not (context is None or isinstance(context, dict)):
                        raise InputRefused(
                            f"@context {context!r}: contexts are not fetched; give the context inline"
                        )
            stack.append(value)


# --- RDF/XML --------------------------------------------------------------------------------------


def expand_xml_entities(text: str) -> str:
    """text with its internal entities expanded and its document type declaration removed."""
    doctype = _DOCTYPE.search(text)
    if doctype is None:
        if "<!ENTITY" in text or "<!DOCTYPE" in text:
            found = text.find("<!ENTITY") if "<!ENTITY" in text else text.find("<!DOCTYPE")
            raise InputRefused("a document type declaration that cannot be read", _line(text, found))
        return text
    subset = doctype.group("subset") or ""
    entities: dict[str, str] = {}
    at = doctype.start("subset") if doctype.group("subset") is not None else doctype.start()
    for match in _ENTITY.finditer(subset):
        name, value = match.group("name"), match.group("value")
        if _REFERENCE.search(value) or "%" in value:
            raise InputRefused(
                f"entity {name!r} refers to another entity: nested entities are not expanded",
                _line(text, at + match.start()),
            )
        entities[name] = value
    rest = _ENTITY.sub("", subset)
    leftover = _DECLARATION.sub("", rest).strip()
    if leftover or re.search(r"<!ENTITY\s+%|SYSTEM|PUBLIC", rest):
        raise InputRefused(
            "the document type declaration holds more than internal entities "
            "(external or parameter entities are not read)",
            _line(text, doctype.start()),
        )
    body = text[: doctype.start()] + text[doctype.end() :]
    limit = EXPANSION_FACTOR * len(text) + 1_000_000
    grown = 0

    def expand(match: re.Match[str]) -> str:
        nonlocal grown
        name = match.group(1)
        if name in _XML_ENTITIES or name not in entities:
            return match.group()
        value = entities[name]
        grown += len(value)
        if grown > limit:
            raise InputRefused(f"entities expand to more than {limit:,} characters")
        return value

    return _REFERENCE.sub(expand, body)


CHECKS: dict[str, Callable[[str], str]] = {
    "json-ld": lambda text: (check_jsonld(text), text)[1],
    "xml": expand_xml_entities,
}


def prepared(fmt: str, text: str) -> str:
    """The text to give rdflib for a file in rdflib format fmt, after the checks for that format."""
    check = CHECKS.get(fmt)
    return text if check is None else check(text)
