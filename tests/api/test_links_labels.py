"""The "Elders / Elsewhere" list names the vocabulary or identifier scheme of each outgoing link (issue 5)."""

from __future__ import annotations

import httpx
import pytest


def _elsewhere(client: httpx.Client, path: str, lang: str) -> str:
    page = client.get(f"{path}?lang={lang}", headers={"Accept": "text/html"}).text
    return page.split('<h2 id="elsewhere">', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    ("lang", "eric", "unesco", "broader"),
    [
        ("nl", "ERIC-thesaurus", "UNESCO-thesaurus", "breder begrip"),
        ("en", "ERIC Thesaurus", "UNESCO Thesaurus", "broader concept"),
    ],
)
def test_each_link_is_labelled_with_its_vocabulary(
    client: httpx.Client, lang: str, eric: str, unesco: str, broader: str
) -> None:
    section = _elsewhere(client, "/id/intervention/teamteaching", lang)
    assert (
        f'<span class="vocab">{eric}</span> · <a class="target" href="https://eric.ed.gov/?ti=Team+Teaching"'
        in section
    )
    assert (
        f'<span class="vocab">{unesco}</span> · <a class="target" '
        'href="http://vocabularies.unesco.org/thesaurus/concept82" rel="external"'
        + ("" if lang == "en" else ' lang="en"')
        + ">Teaching</a> "
        '<code class="iri">http://vocabularies.unesco.org/thesaurus/concept82</code> · '
        f'<span class="match">{broader}</span>'
    ) in section  # the target's name in the thesaurus (English), then its IRI


def test_a_doi_link_is_labelled_doi(client: httpx.Client) -> None:
    section = _elsewhere(client, "/id/source/stoll-kools-2017", "en")
    doi = "https://doi.org/10.1108/JPCC-09-2016-0022"
    assert f'<span class="vocab">DOI</span> · <a class="target" href="{doi}"' in section
