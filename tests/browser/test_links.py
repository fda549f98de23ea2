"""Link check: every internal link on every page reachable from / answers 200 (and fragments exist).

Breadth-first over the HTML pages, as a browser asks for them (Accept: text/html), reading at most
MAX_PAGES pages, only on the service's own 127.0.0.1 origin."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import pytest

pytestmark = pytest.mark.browser

MAX_PAGES = 600  # HTML pages read for links; every link found on them is checked
MAX_URLS = 5000
SKIP_PATHS = ()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.anchors.add(a["id"])
        if tag == "a" and a.get("name"):
            self.anchors.add(a["name"])
        if tag in ("a", "link", "area") and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.hrefs.append(a["src"])


def test_every_internal_link_answers_200(site: str) -> None:
    origin = urlsplit(site).netloc
    seen: set[str] = {site + "/"}
    queue = deque([site + "/"])
    referrers: dict[str, str] = {site + "/": "(start)"}
    anchors: dict[str, set[str] | None] = {}  # page URL → its ids (None: not HTML)
    fragments: list[tuple[str, str, str]] = []  # (target, fragment, referrer)
    failures: list[str] = []
    crawled = 0
    with httpx.Client(headers={"Accept": "text/html"}, timeout=30.0, follow_redirects=False) as http:
        while queue:
            url = queue.popleft()
            response = http.get(url)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {url} (linked from {referrers[url]})")
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                anchors[url] = None
                continue
            if crawled >= MAX_PAGES:  # checked, not read
                continue
            parser = Links()
            parser.feed(response.text)
            anchors[url] = parser.anchors
            crawled += 1
            if urlsplit(url).path.startswith(SKIP_PATHS):
                continue
            for href in parser.hrefs:
                target, fragment = urldefrag(urljoin(url, href))
                parts = urlsplit(target)
                if parts.scheme not in ("http", "https") or parts.netloc != origin:
                    continue
                if fragment:
                    fragments.append((target, fragment, url))
                if target not in seen and len(seen) < MAX_URLS:
                    seen.add(target)
                    referrers[target] = url
                    queue.append(target)

    print(f"link check: read {crawled} HTML pages, checked {len(seen)} URLs and {len(fragments)} fragments")
    for target, fragment, referrer in fragments:
        ids = anchors.get(target)
        if ids is not None and fragment not in ids and fragment != "top":
            failures.append(f"#{fragment} missing in {target} (linked from {referrer})")
    assert not failures, f"{len(failures)} broken internal links:\n" + "\n".join(sorted(set(failures))[:80])
    assert crawled >= 2, "the crawl found no pages beyond the home page"
