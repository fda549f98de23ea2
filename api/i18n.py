"""The words of the HTML pages in Dutch (default) and English, and how a request picks one."""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("nl", "en")
DEFAULT = "nl"

UI: dict[str, dict[str, str]] = {
    "site": {
        "nl": "De school als professionele leergemeenschap",
        "en": "The school as a professional learning community",
    },
    "home": {"nl": "Home", "en": "Home"},
    "matrix": {"nl": "Dekking", "en": "Coverage"},
    "search": {"nl": "Zoeken", "en": "Search"},
    "sparql": {"nl": "SPARQL", "en": "SPARQL"},
    "ontology": {"nl": "Ontologie", "en": "Ontology"},
    "api": {"nl": "API", "en": "API"},
    "skip": {"nl": "Naar de inhoud", "en": "Skip to content"},
    "breadcrumbs": {"nl": "Kruimelpad", "en": "Breadcrumbs"},
    "language": {"nl": "Taal", "en": "Language"},
    "permalink": {"nl": "Permalink", "en": "Permalink"},
    "data": {"nl": "Gegevens", "en": "Data"},
    "source_chapter": {
        "nl": "Bron: Admiraal, de Jong, Schenke & Sligte, ‘De school als professionele leergemeenschap’.",
        "en": "Source: Admiraal, de Jong, Schenke & Sligte, ‘De school als professionele leergemeenschap’.",
    },
    "licence": {"nl": "Gegevens onder CC BY 4.0.", "en": "Data under CC BY 4.0."},
    "categories": {"nl": "Categorieën van interventies", "en": "Categories of interventions"},
    "frameworks": {"nl": "Kaders en kenmerken", "en": "Frameworks and characteristics"},
    "search_placeholder": {"nl": "Zoek een interventie…", "en": "Search an intervention…"},
    "search_button": {"nl": "Zoeken", "en": "Search"},
    "stated": {"nl": "gesteld in het hoofdstuk", "en": "stated in the chapter"},
    "inferred": {"nl": "afgeleid door de catalogus", "en": "inferred by the catalogue"},
    "intro_title": {
        "nl": "Wat is een professionele leergemeenschap?",
        "en": "What is a professional learning community?",
    },
    "intro": {
        "nl": (
            "In een professionele leergemeenschap (PLG) werken leraren niet elk achter een gesloten "
            "deur, maar dragen ze samen verantwoordelijkheid voor de kwaliteit van het onderwijs: ze "
            "wisselen kennis en ervaring uit, kijken bij elkaar in de les, geven elkaar feedback en "
            "onderzoeken samen hun praktijk. Dat is goed voor het onderwijs, voor de ontwikkeling van "
            "leraren en voor de school als geheel. Deze catalogus laat zien wat een school kan doen om "
            "zo'n gemeenschap te worden, welke kenmerken van een PLG elke interventie helpt "
            "ontwikkelen, wat er over bekend is en op wiens gezag."
        ),
        "en": (
            "In a professional learning community (PLG) teachers do not each work behind a closed door "
            "but share responsibility for the quality of teaching: they exchange knowledge and "
            "experience, observe each other's lessons, give each other feedback and investigate their "
            "practice together. That benefits teaching, teachers' development and the school as a "
            "whole. This catalogue shows what a school can do to become such a community, which "
            "characteristics of a PLG each intervention helps develop, what is known about it and on "
            "whose authority."
        ),
    },
}


def language(request: Request) -> str:
    """?lang= first, then the best of Accept-Language, then Dutch."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    best, best_q = None, 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best or DEFAULT


def words(lang: str) -> dict[str, str]:
    return {key: texts[lang] for key, texts in UI.items()}
