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
    "home_school_title": {"nl": "Uw school", "en": "Your school"},
    "home_school": {
        "nl": "Zoek uw school op naam, vestigingscode of plaats: haar pagina laat zien welke interventies "
        "ze uitvoert, welke kenmerken van een PLG daarmee nog niet gediend worden en wat daarbij zou "
        "helpen. Scholen komen uit het register van DUO (plgkg import schools), hun profiel uit plgkg "
        "import profiles.",
        "en": "Find your school by name, location code or place: its page shows which interventions it "
        "runs, which characteristics of a PLG they leave unserved, and what would help. Schools come "
        "from DUO's register (plgkg import schools), their profiles from plgkg import profiles.",
    },
    "home_school_button": {"nl": "Zoek school", "en": "Find school"},
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
    # -- resource pages (issue 4) --
    "rp_other_label": {"nl": "In het Engels", "en": "In Dutch"},
    "rp_elsewhere": {"nl": "Elders", "en": "Elsewhere"},
    "rp_match_exactMatch": {"nl": "zelfde begrip", "en": "same concept"},
    "rp_match_closeMatch": {"nl": "nagenoeg hetzelfde begrip", "en": "nearly the same concept"},
    "rp_match_broadMatch": {"nl": "breder begrip", "en": "broader concept"},
    "rp_match_narrowMatch": {"nl": "smaller begrip", "en": "narrower concept"},
    "rp_match_relatedMatch": {"nl": "verwant begrip", "en": "related concept"},
    "rp_match_sameAs": {"nl": "zelfde werk of persoon", "en": "same work or person"},
    # the vocabulary or identifier scheme an outgoing link points into, by the target's namespace
    "rp_vocab_eric": {"nl": "ERIC-thesaurus", "en": "ERIC Thesaurus"},
    "rp_vocab_unesco": {"nl": "UNESCO-thesaurus", "en": "UNESCO Thesaurus"},
    "rp_vocab_wikidata": {"nl": "Wikidata", "en": "Wikidata"},
    "rp_vocab_openalex": {"nl": "OpenAlex", "en": "OpenAlex"},
    "rp_vocab_doi": {"nl": "DOI", "en": "DOI"},
    "rp_category": {"nl": "Categorie", "en": "Category"},
    "rp_definition": {"nl": "Definitie", "en": "Definition"},
    "rp_description": {"nl": "Beschrijving", "en": "Description"},
    "rp_examples": {"nl": "Voorbeelden uit Tabel 1", "en": "Examples from Table 1"},
    "rp_examples_text": {
        "nl": "Voorbeelden uit Tabel 1 en de lopende tekst",
        "en": "Examples from Table 1 and the running text",
    },
    "rp_running_text": {"nl": "uit de lopende tekst", "en": "from the running text"},
    "rp_serves": {
        "nl": "Kenmerken die deze interventie dient",
        "en": "Characteristics this intervention serves",
    },
    "rp_serves_none": {
        "nl": "Geen kenmerk in de catalogus wordt door deze interventie gediend.",
        "en": "No characteristic in the catalogue is served by this intervention.",
    },
    "rp_served_by": {
        "nl": "Interventies die dit kenmerk dienen",
        "en": "Interventions that serve this characteristic",
    },
    "rp_unserved": {
        "nl": "Geen interventie dient dit kenmerk",
        "en": "No intervention serves this characteristic",
    },
    "rp_basis": {"nl": "Grondslag", "en": "Basis"},
    "rp_rationale": {"nl": "Motivering", "en": "Rationale"},
    "rp_statement_link": {"nl": "Onderbouwing", "en": "Statement"},
    "rp_findings": {"nl": "Wat er bekend is", "en": "What is known"},
    "rp_aspect": {"nl": "Aspect", "en": "Aspect"},
    "rp_aspect_prevalence": {"nl": "Hoe vaak het voorkomt", "en": "How common it is"},
    "rp_aspect_durability": {"nl": "Hoe duurzaam het is", "en": "How durable it is"},
    "rp_aspect_obstacle": {"nl": "Belemmeringen", "en": "Obstacles"},
    "rp_aspect_condition": {"nl": "Voorwaarden", "en": "Conditions"},
    "rp_aspect_mechanism": {"nl": "Beoogde werking", "en": "Intended mechanism"},
    "rp_aspect_effect": {"nl": "Opbrengsten", "en": "Effects"},
    "rp_cases": {"nl": "Praktijkvoorbeelden", "en": "Practice cases"},
    "rp_case": {"nl": "Praktijkvoorbeeld", "en": "Practice case"},
    "rp_finding": {"nl": "Bevinding", "en": "Finding"},
    "rp_boxed": {"nl": "kader in het hoofdstuk", "en": "box in the chapter"},
    "rp_sources": {"nl": "Bronnen", "en": "Sources"},
    "rp_source": {"nl": "Bron", "en": "Source"},
    "rp_source_prefix": {"nl": "Bron", "en": "Source"},
    "rp_locators": {"nl": "Vindplaatsen", "en": "Locations"},
    "rp_external_links": {"nl": "Externe links", "en": "External links"},
    "rp_framework": {"nl": "Kader", "en": "Framework"},
    "rp_characteristic": {"nl": "Kenmerk", "en": "Characteristic"},
    "rp_characteristics": {"nl": "Kenmerken", "en": "Characteristics"},
    "rp_interventions": {"nl": "Interventies", "en": "Interventions"},
    "rp_intervention": {"nl": "Interventie", "en": "Intervention"},
    "rp_order": {"nl": "Nr.", "en": "No."},
    "rp_served_count": {"nl": "Aantal interventies", "en": "Number of interventions"},
    "rp_alt_title": {"nl": "Titel in §3.3", "en": "Title in §3.3"},
    "rp_citation": {"nl": "Bronvermelding", "en": "Citation"},
    "rp_authors": {"nl": "Auteurs", "en": "Authors"},
    "rp_editors": {"nl": "Redacteuren", "en": "Editors"},
    "rp_eds": {"nl": "red.", "en": "eds."},
    "rp_title": {"nl": "Titel", "en": "Title"},
    "rp_year": {"nl": "Jaar", "en": "Year"},
    "rp_journal": {"nl": "Tijdschrift", "en": "Journal"},
    "rp_volume": {"nl": "Jaargang", "en": "Volume"},
    "rp_issue": {"nl": "Nummer", "en": "Issue"},
    "rp_pages": {"nl": "Pagina's", "en": "Pages"},
    "rp_publisher": {"nl": "Uitgever", "en": "Publisher"},
    "rp_part_of": {"nl": "Onderdeel van", "en": "Part of"},
    "rp_type": {"nl": "Soort", "en": "Type"},
    "rp_type_AcademicArticle": {"nl": "Tijdschriftartikel", "en": "Journal article"},
    "rp_type_Book": {"nl": "Boek", "en": "Book"},
    "rp_type_Chapter": {"nl": "Hoofdstuk", "en": "Chapter"},
    "rp_type_Report": {"nl": "Rapport", "en": "Report"},
    "rp_cited_as": {"nl": "Zo haalt het hoofdstuk de bron aan", "en": "How the chapter cites it"},
    "rp_editorial_note": {
        "nl": "Verantwoording (controle van de gegevens)",
        "en": "Editorial note (verification)",
    },
    "rp_figures": {"nl": "Getallen", "en": "Figures"},
    "rp_value": {"nl": "Waarde", "en": "Value"},
    "rp_measure": {"nl": "Grootheid", "en": "Measure"},
    "rp_rests_on": {"nl": "Wat in de catalogus hierop steunt", "en": "What in the catalogue rests on it"},
    "rp_kind_Framework": {"nl": "Kaders", "en": "Frameworks"},
    "rp_kind_InterventionCategory": {"nl": "Categorieën", "en": "Categories"},
    "rp_kind_Intervention": {"nl": "Interventies", "en": "Interventions"},
    "rp_kind_ServesStatement": {"nl": "Dient-uitspraken", "en": "Serves statements"},
    "rp_kind_Finding": {"nl": "Bevindingen", "en": "Findings"},
    "rp_kind_CharacteristicMatch": {"nl": "Kruisverwijzingen tussen kaders", "en": "Crosswalk links"},
    "rp_kind_Case": {"nl": "Praktijkvoorbeelden", "en": "Practice cases"},
    "rp_kind_IllustrationStatement": {"nl": "Illustreert-uitspraken", "en": "Illustration statements"},
    "rp_kind_Figure": {"nl": "Getallen", "en": "Figures"},
    "rp_export": {"nl": "Exporteren", "en": "Export"},
    "rp_bibtex": {"nl": "BibTeX downloaden", "en": "Download BibTeX"},
    "rp_ris": {"nl": "RIS downloaden", "en": "Download RIS"},
    "rp_school": {"nl": "School", "en": "School"},
    "rp_runs": {"nl": "Wat de school doet", "en": "What the school does"},
    "rp_runs_none": {
        "nl": "Er is geen schoolprofiel ingelezen: de school voert geen interventie uit de catalogus uit.",
        "en": "No school profile has been imported: the school runs no intervention of the catalogue.",
    },
    "rp_since": {"nl": "sinds", "en": "since"},
    "rp_missing": {"nl": "Wat ontbreekt", "en": "What is missing"},
    "rp_missing_intro": {
        "nl": "Per kader: welke kenmerken de interventies van de school dienen, welke geen enkele dient, en "
        "welke interventies uit de catalogus die zouden dienen, met wat het hoofdstuk erover vindt.",
        "en": "Per framework: which characteristics the school's interventions serve, which none does, and "
        "which interventions of the catalogue would serve them, with what the chapter finds about them.",
    },
    "rp_served_here": {"nl": "Gediend door de school", "en": "Served by the school"},
    "rp_gaps": {"nl": "Niet gediend", "en": "Not served"},
    "rp_no_gaps": {
        "nl": "Geen: de school dient elk kenmerk van dit kader.",
        "en": "None: the school serves every characteristic of this framework.",
    },
    "rp_gap_summary": {"nl": "Kenmerken per kader", "en": "Characteristics per framework"},
    "rp_of": {"nl": "{n} van {total}", "en": "{n} of {total}"},
    "rp_findings_count": {
        "nl": "Wat het hoofdstuk erover vindt ({n})",
        "en": "What the chapter finds about it ({n})",
    },
    "rp_covered_by": {"nl": "Zou gediend worden door", "en": "Would be served by"},
    "rp_gaps_json": {"nl": "Als JSON", "en": "As JSON"},
    "rp_register": {"nl": "In het register van DUO", "en": "In DUO's register"},
    "rp_institution_code": {"nl": "Instellingscode (BRIN)", "en": "Institution code (BRIN)"},
    "rp_location_code": {"nl": "Vestigingscode", "en": "Location code"},
    "rp_address": {"nl": "Adres", "en": "Address"},
    "rp_municipality": {"nl": "Gemeente", "en": "Municipality"},
    "rp_municipality_code": {"nl": "Gemeentenummer (CBS)", "en": "Municipality number (CBS)"},
    "rp_schools_here": {"nl": "Scholen in deze gemeente", "en": "Schools in this municipality"},
    "rp_schools_here_list": {
        "nl": "Deze scholen in de schoollijst, om verder te zoeken",
        "en": "These schools in the school list, to search further",
    },
    "rp_denomination": {"nl": "Denominatie", "en": "Denomination"},
    "rp_education_types": {"nl": "Onderwijssoorten", "en": "Kinds of education"},
    "rp_competent_authority": {"nl": "Bevoegd gezag (nummer)", "en": "Competent authority (number)"},
    "rp_register_source": {"nl": "Bron", "en": "Source"},
    "rp_illustrates": {"nl": "Illustreert", "en": "Illustrates"},
    "rp_partners": {"nl": "Partners", "en": "Partners"},
    "rp_quote": {"nl": "Citaat uit het hoofdstuk", "en": "Quote from the chapter"},
    "rp_studied_in": {"nl": "Onderzocht in", "en": "Studied in"},
    "rp_about": {"nl": "Over", "en": "About"},
    "rp_statement": {"nl": "Dient-uitspraak", "en": "Serves statement"},
    "rp_illustration": {"nl": "Illustreert-uitspraak", "en": "Illustration statement"},
    "rp_crosswalk_link": {"nl": "Kruisverwijzing tussen kenmerken", "en": "Characteristic crosswalk link"},
    "rp_crosswalk": {"nl": "In andere kaders", "en": "In other frameworks"},
    "rp_relation": {"nl": "Het andere kenmerk is", "en": "The other characteristic is"},
    "rp_other_characteristic": {
        "nl": "Kenmerk in een ander kader",
        "en": "Characteristic in another framework",
    },
    # a crosswalk link read from one characteristic: what the other characteristic is to it
    "rp_relation_exactMatch": {"nl": "hetzelfde", "en": "the same"},
    "rp_relation_closeMatch": {"nl": "nagenoeg hetzelfde", "en": "nearly the same"},
    "rp_relation_broadMatch": {"nl": "breder", "en": "broader"},
    "rp_relation_narrowMatch": {"nl": "smaller", "en": "narrower"},
    "rp_relation_relatedMatch": {"nl": "verwant", "en": "related"},
    "rp_serves_note": {"nl": "Over de interventies", "en": "On the interventions"},
    "rp_works": {"nl": "Werken", "en": "Works"},
    "rp_role_author": {"nl": "Auteur van", "en": "Author of"},
    "rp_role_editor": {"nl": "Redacteur van", "en": "Editor of"},
    "rp_role_publisher": {"nl": "Uitgever van", "en": "Publisher of"},
    "rp_role_venue": {"nl": "Verschenen in dit tijdschrift", "en": "Published in this journal"},
    "rp_role_partner": {"nl": "Partner in", "en": "Partner in"},
    "rp_issn": {"nl": "ISSN", "en": "ISSN"},
    "rp_eissn": {"nl": "e-ISSN", "en": "e-ISSN"},
    "rp_in_english": {"nl": "in het Engels", "en": "in English"},
    "rp_in_dutch": {"nl": "in het Nederlands", "en": "in Dutch"},
    # -- explore pages: matrix, search, ontology, query page --------------------------------------
    "legend": {"nl": "Legenda", "en": "Legend"},
    "results": {"nl": "Resultaten", "en": "Results"},
    "matrix_title": {"nl": "Dekkingsmatrix", "en": "Coverage matrix"},
    "matrix_intro": {
        "nl": (
            "Welke interventie dient welk kenmerk? Elke rij is een interventie uit Tabel 1, elke kolom een "
            "kenmerk uit een van de kaders. Een teken in een cel linkt naar de uitspraak erachter, met "
            "grondslag, motivering en bron."
        ),
        "en": (
            "Which intervention serves which characteristic? Each row is an intervention from Table 1, each "
            "column a characteristic from one of the frameworks. A symbol in a cell links to the statement "
            "behind it, with its basis, rationale and source."
        ),
    },
    "matrix_choose": {"nl": "Kies een kader", "en": "Choose a framework"},
    "matrix_all": {"nl": "Alle kaders", "en": "All frameworks"},
    "matrix_summary": {
        "nl": (
            "{statements} uitspraken ({stated} gesteld in het hoofdstuk, {inferred} afgeleid door de "
            "catalogus) over {interventions} interventies en {characteristics} kenmerken."
        ),
        "en": (
            "{statements} statements ({stated} stated in the chapter, {inferred} inferred by the "
            "catalogue) over {interventions} interventions and {characteristics} characteristics."
        ),
    },
    "matrix_caption": {
        "nl": "Interventies (rijen, per categorie) × kenmerken (kolommen, per kader)",
        "en": "Interventions (rows, by category) × characteristics (columns, by framework)",
    },
    "matrix_intervention": {"nl": "Interventie", "en": "Intervention"},
    "matrix_row_count": {"nl": "Aantal kenmerken", "en": "Characteristics served"},
    "matrix_column_count": {"nl": "Aantal interventies", "en": "Interventions serving"},
    "matrix_unserved_short": {"nl": "door geen interventie gediend", "en": "served by no intervention"},
    "matrix_unserved": {
        "nl": "Kenmerken die geen interventie dient",
        "en": "Characteristics no intervention serves",
    },
    "matrix_all_served": {
        "nl": "Geen: elk kenmerk wordt door minstens één interventie gediend.",
        "en": "None: every characteristic is served by at least one intervention.",
    },
    "matrix_key": {"nl": "Afkortingen van de kenmerken", "en": "Abbreviations of the characteristics"},
    "matrix_crosswalk": {"nl": "Kenmerken in meer kaders", "en": "Characteristics across frameworks"},
    "matrix_crosswalk_caption": {
        "nl": (
            "Kruisverwijzingen tussen kaders: welk kenmerk van een kader nagenoeg hetzelfde is als, breder "
            "of smaller is dan, of verwant is aan een kenmerk van een ander kader. De verhouding staat er "
            "vanuit het eerste kenmerk; de grondslag linkt naar de motivering."
        ),
        "en": (
            "Crosswalk links between frameworks: which characteristic of one framework is nearly the same "
            "as, broader or narrower than, or related to a characteristic of another. The relation is read "
            "from the first characteristic; the basis links to the rationale."
        ),
    },
    "matrix_crosswalk_none": {
        "nl": "Geen kruisverwijzingen voor deze kenmerken.",
        "en": "No crosswalk links for these characteristics.",
    },
    "matrix_served_by": {
        "nl": "gediend door {n} interventies ({stated} gesteld)",
        "en": "served by {n} interventions ({stated} stated)",
    },
    "schools": {"nl": "Scholen", "en": "Schools"},
    "schools_title": {"nl": "Scholen", "en": "Schools"},
    "schools_intro": {
        "nl": "De scholen uit de praktijkvoorbeelden en onderzoeken van het hoofdstuk, en de vestigingen "
        "die uit het register van DUO zijn ingelezen. Elke school heeft een pagina met wat ze doet en wat "
        "ontbreekt.",
        "en": "The schools of the chapter's practice cases and studies, and the locations imported from "
        "DUO's register. Every school has a page with what it does and what is missing.",
    },
    "schools_q": {
        "nl": "Naam, code, plaats of postcode",
        "en": "Name, code, place or postcode",
    },
    "schools_placeholder": {"nl": "Zoek een school…", "en": "Find a school…"},
    "schools_profiled": {
        "nl": "Alleen scholen met een ingelezen profiel",
        "en": "Only schools with an imported profile",
    },
    "schools_count": {"nl": "{n} scholen", "en": "{n} schools"},
    "schools_shown": {"nl": "{first}–{last} getoond", "en": "showing {first}–{last}"},
    "schools_name": {"nl": "Naam", "en": "Name"},
    "schools_place": {"nl": "Plaats · gemeente", "en": "Place · municipality"},
    "schools_runs": {"nl": "Interventies in profiel", "en": "Interventions in profile"},
    "schools_none": {
        "nl": "Geen school voldoet aan deze zoekopdracht.",
        "en": "No school matches this search.",
    },
    "schools_bad_page": {
        "nl": "Pagina ‘{value}’ bestaat niet: geef een geheel getal vanaf 1.",
        "en": "Page ‘{value}’ does not exist: give a whole number from 1.",
    },
    "schools_no_page": {
        "nl": "Pagina {value} bestaat niet: er zijn {pages} pagina's; de laatste wordt getoond.",
        "en": "Page {value} does not exist: there are {pages} pages; the last one is shown.",
    },
    "pages": {"nl": "Pagina's", "en": "Pages"},
    "previous": {"nl": "Vorige", "en": "Previous"},
    "next": {"nl": "Volgende", "en": "Next"},
    "page_of": {"nl": "Pagina {page} van {pages}", "en": "Page {page} of {pages}"},
    "search_title": {"nl": "Zoeken in de interventies", "en": "Search the interventions"},
    "filter_q": {"nl": "Tekst", "en": "Text"},
    "filter_category": {"nl": "Categorie", "en": "Category"},
    "filter_framework": {"nl": "Kader", "en": "Framework"},
    "filter_characteristic": {"nl": "Kenmerk", "en": "Characteristic"},
    "filter_any": {"nl": "(alle)", "en": "(any)"},
    "result_count": {"nl": "{n} resultaten", "en": "{n} results"},
    "active_filters": {"nl": "actieve filters", "en": "active filters"},
    "remove": {"nl": "verwijderen", "en": "remove"},
    "remove_filter": {"nl": "Filter verwijderen", "en": "Remove filter"},
    "share": {"nl": "Link naar deze zoekopdracht", "en": "Link to this search"},
    "no_results": {
        "nl": "Geen interventies gevonden. Probeer een ander woord of minder filters.",
        "en": "No interventions found. Try another word or fewer filters.",
    },
    "error": {"nl": "Er ging iets mis", "en": "Something went wrong"},
    "error_not_found": {"nl": "Niet gevonden", "en": "Not found"},
    "error_busy": {"nl": "Even geduld", "en": "Please wait a moment"},
    "error_store": {"nl": "De gegevensbron antwoordt niet", "en": "The data store does not answer"},
    "error_home": {"nl": "Naar de startpagina", "en": "To the home page"},
    "search_too_long": {
        "nl": "De zoektekst is ingekort tot {n} tekens.",
        "en": "The search text was cut to {n} characters.",
    },
    "search_unknown": {
        "nl": "Onbekende waarde voor {what}: {value!r}; dit filter is genegeerd.",
        "en": "Unknown value for {what}: {value!r}; this filter was ignored.",
    },
    "ontology_title": {"nl": "Ontologie-documentatie", "en": "Ontology documentation"},
    "ontology_generated": {
        "nl": (
            "Deze pagina wordt gemaakt uit de ontologie in de triplestore; programma's krijgen op "
            "dezelfde URI Turtle of JSON-LD."
        ),
        "en": (
            "This page is generated from the ontology in the triple store; programs get Turtle or "
            "JSON-LD at the same URI."
        ),
    },
    "namespace": {"nl": "Naamruimte", "en": "Namespace"},
    "version": {"nl": "Versie", "en": "Version"},
    "created": {"nl": "Gemaakt", "en": "Created"},
    "licence_label": {"nl": "Licentie", "en": "Licence"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "kind_class": {"nl": "klasse", "en": "class"},
    "kind_object_property": {"nl": "objecteigenschap", "en": "object property"},
    "kind_datatype_property": {"nl": "gegevenseigenschap", "en": "datatype property"},
    "kind_class_plural": {"nl": "Klassen", "en": "Classes"},
    "kind_object_property_plural": {"nl": "Objecteigenschappen", "en": "Object properties"},
    "kind_datatype_property_plural": {"nl": "Gegevenseigenschappen", "en": "Datatype properties"},
    "functional": {"nl": "functioneel (hoogstens één waarde)", "en": "functional (at most one value)"},
    "controlled_values": {"nl": "Vaste waarden", "en": "Controlled values"},
    "term": {"nl": "Term", "en": "Term"},
    "label_nl": {"nl": "Label (Nederlands)", "en": "Label (Dutch)"},
    "label_en": {"nl": "Label (Engels)", "en": "Label (English)"},
    "definition": {"nl": "Definitie", "en": "Definition"},
    "instance_of": {"nl": "instantie van", "en": "instance of"},
    "sub_class_of": {"nl": "Subklasse van", "en": "Subclass of"},
    "sub_property_of": {"nl": "Subeigenschap van", "en": "Subproperty of"},
    "domain": {"nl": "Domein", "en": "Domain"},
    "range": {"nl": "Bereik", "en": "Range"},
    "unrestricted": {"nl": "(niet beperkt)", "en": "(not restricted)"},
    "example": {"nl": "Voorbeeld", "en": "Example"},
    "no_example": {"nl": "(nog niet gebruikt)", "en": "(not used yet)"},
    "query_title": {"nl": "SPARQL-zoekvragen", "en": "SPARQL queries"},
    "query_intro": {
        "nl": (
            "Stel de catalogus zelf een vraag in SPARQL, of begin met een van de kernvragen hieronder. "
            "Het eindpunt is alleen-lezen; programma's gebruiken dezelfde URL met het SPARQL-protocol."
        ),
        "en": (
            "Ask the catalogue a question of your own in SPARQL, or start from one of the competency "
            "questions below. The endpoint is read-only; programs use the same URL with the SPARQL protocol."
        ),
    },
    "query_label": {"nl": "Zoekvraag", "en": "Query"},
    "query_help": {
        "nl": "Ctrl+Enter (of Cmd+Enter) voert de zoekvraag uit; Tab gaat naar het volgende veld.",
        "en": "Ctrl+Enter (or Cmd+Enter) runs the query; Tab moves to the next field.",
    },
    "query_run": {"nl": "Uitvoeren", "en": "Run"},
    "row_count": {"nl": "{n} rijen", "en": "{n} rows"},
    "rows_shown": {
        "nl": "De eerste {n} rijen; het hele resultaat staat in de downloads.",
        "en": "The first {n} rows; the whole result is in the downloads.",
    },
    "triples_shown": {
        "nl": "De eerste {n} triples; het hele resultaat staat in de downloads.",
        "en": "The first {n} triples; the whole result is in the downloads.",
    },
    "download_all": {"nl": "Hele resultaat downloaden", "en": "Download the whole result"},
    "examples": {"nl": "Voorbeelden: de kernvragen", "en": "Examples: the competency questions"},
    "examples_intro": {
        "nl": "Elke kernvraag is een kant-en-klare zoekvraag: voer haar direct uit of laad haar in editor.",
        "en": "Each competency question is a ready query: run it at once or load it into the editor.",
    },
    "query_run_example": {"nl": "Uitvoeren", "en": "Run"},
    "query_load": {"nl": "In editor laden", "en": "Load into editor"},
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
