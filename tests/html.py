"""HTML pages as trees for the tests of what a page shows: a small parser over html.parser (no
dependency), the page's <main> as asked for in a language, and the texts and links of nodes."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                    found.append(child)
                found.extend(child.all(tag, cls))
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    @classmethod
    def of(cls, html: str) -> Node:
        """The whole document as a tree (its root)."""
        tree = cls()
        tree.feed(html)
        return tree.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def page(client: httpx.Client, path: str, lang: str) -> Node:
    asked = f"{path}{'&' if '?' in path else '?'}lang={lang}"  # the path's own parameters kept
    response = client.get(asked, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html"), (asked, response.headers["content-type"])
    tree = Tree()
    tree.feed(response.text)
    return tree.root.one("main")


def texts(nodes: list[Node]) -> list[str]:
    return [n.text() for n in nodes]


def hrefs(nodes: list[Node]) -> list[str]:
    return [n.attrs["href"] for n in nodes]


def badges(node: Node) -> list[str]:
    return [next(c for c in b.classes() if c != "badge") for b in node.all("span", "badge")]


def headings(main: Node) -> tuple[list[str], list[str]]:
    return texts(main.all("h1")), texts(main.all("h2"))


def section(main: Node, heading: str) -> Node:
    """The section a page labels with the heading of this id."""
    found = [s for s in main.all("section") if s.attrs.get("aria-labelledby") == heading]
    assert len(found) == 1, (heading, len(found))
    return found[0]
