"""Pydantic models of the JSON API. Ids are the slugs of the catalogue IRIs."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

Basis = Literal["stated-in-chapter", "inferred-by-catalogue"]
Relation = Literal["exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"]
T = TypeVar("T")


class Ref(BaseModel):
    id: str = Field(description="The slug of the resource's IRI")
    iri: str
    label: str | None = None


class Page(BaseModel, Generic[T]):
    total: int = Field(description="How many items match, over all pages")
    limit: int
    offset: int
    items: list[T]


class CharacteristicMatch(BaseModel):
    """A crosswalk link from one characteristic to a characteristic of another framework, read from
    the first one's side: "this characteristic <relation> the other"."""

    id: str = Field(description="The slug of the other characteristic")
    iri: str
    label: str
    framework: Ref
    relation: Relation = Field(
        description="This characteristic's SKOS mapping to the other, from its side: closeMatch (nearly "
        "the same), broadMatch (the other is broader), narrowMatch (the other is narrower), relatedMatch"
    )
    basis: Basis
    rationale: str
    serves_note: str | None = Field(description="Why the interventions serving the two differ, if they do")
    locator: str
    statement: str = Field(description="IRI of the qualified crosswalk link (plg:CharacteristicMatch)")
    sources: list[Ref]


class Characteristic(BaseModel):
    id: str
    iri: str
    label: str
    definition: str
    framework: Ref
    order: int
    served_by: int = Field(description="How many interventions serve this characteristic")
    matches: list[CharacteristicMatch] = Field(
        default=[], description="Its crosswalk links to characteristics of other frameworks"
    )


class Provenance(BaseModel):
    basis: Basis
    rationale: str
    locator: str
    statement: str = Field(description="IRI of the qualified serves statement")
    sources: list[Ref]


class ServingIntervention(BaseModel):
    intervention: Ref
    category: Ref
    provenance: Provenance


class ServedCharacteristic(BaseModel):
    characteristic: Ref
    framework: Ref
    provenance: Provenance


class InterventionSummary(BaseModel):
    id: str
    iri: str
    label: str
    definition: str
    category: Ref


class Finding(BaseModel):
    id: str
    iri: str
    label: str
    description: str
    about: list[Ref]
    aspect: str
    basis: Basis
    locator: str
    sources: list[Ref]


class Illustration(Ref):
    """An intervention a case illustrates, with the qualified link (plg:IllustrationStatement)."""

    statement: str = Field(description="IRI of the qualified illustration statement")
    basis: Basis
    rationale: str
    locator: str
    quote: str | None = Field(default=None, description="At most one sentence of the chapter, in Dutch")


class Case(BaseModel):
    id: str
    iri: str
    label: str
    description: str
    boxed: bool
    school: Ref
    illustrates: list[Illustration]
    partners: list[Ref]
    locator: str


class Example(BaseModel):
    iri: str
    label: str
    locator: str | None = Field(
        description="Where the chapter gives it: 'Tabel 1…' for Table 1, else the running text (§3.3)"
    )


class EvidenceFigure(BaseModel):
    """A figure behind what is known of an intervention: a sample size, a duration, a count."""

    label: str
    measure: str
    value: float | None
    min: float | None
    max: float | None
    basis: Basis
    locator: str
    owner: Ref = Field(description="The finding, case or source (study) that gives it")
    owner_kind: Literal["finding", "case", "source"]


class Evidence(BaseModel):
    """What is known of an intervention and on what it rests, every number counted from the catalogue
    (in the spirit of the EEF Toolkit's strip, without a cost or impact figure the chapter does not
    give)."""

    links_stated: int = Field(description="Serves links the chapter states")
    links_inferred: int = Field(description="Serves links the catalogue infers")
    frameworks: int = Field(description="Frameworks whose characteristics it serves")
    findings: dict[str, int] = Field(description="Findings on it per aspect (prevalence, durability, …)")
    durability: list[Ref] = Field(description="What the chapter finds on how durable it is")
    obstacles: list[Ref] = Field(description="What gets in its way")
    conditions: list[Ref] = Field(description="What it needs")
    cases: int = Field(description="Practice cases that illustrate it")
    sources: list[Ref] = Field(description="The works its links and findings rest on")
    figures: list[EvidenceFigure] = Field(description="The figures behind its findings, cases and studies")


class InterventionDetail(BaseModel):
    id: str
    iri: str
    label: str
    labels: dict[str, str] = Field(description="The preferred label per language (nl, en)")
    definition: str
    description: str | None
    category: Ref
    examples: list[str]
    example_items: list[Example] = Field(
        default=[], description="The examples with their IRI and locator (`examples` has their labels)"
    )
    serves: list[ServedCharacteristic]
    findings: list[Finding]
    cases: list[Case]
    locator: str | None
    evidence: Evidence


class Category(BaseModel):
    id: str
    iri: str
    label: str
    definition: str
    order: int
    interventions: list[Ref]


class Framework(BaseModel):
    id: str
    iri: str
    label: str
    definition: str
    source: Ref
    characteristics: int


class Source(BaseModel):
    id: str
    iri: str
    title: str | None
    year: str | None
    cited_as: list[str]
    doi: str | None
    authors: list[str] = Field(description="Authors (or editors) in order")


class Address(BaseModel):
    street: str | None = None
    postal_code: str | None = None
    place: str | None = None


class Municipality(Ref):
    code: str | None = Field(default=None, description="The four-digit CBS municipality number")


class SchoolSummary(BaseModel):
    """A school as the school list shows it; /api/schools/{id} has all its details."""

    id: str
    iri: str
    label: str
    institution_code: str | None = Field(default=None, description="DUO institution code (BRIN)")
    location_code: str | None = Field(default=None, description="DUO location code (vestigingscode)")
    place: str | None = None
    postal_code: str | None = None
    municipality: Municipality | None = None
    education_types: list[str] = Field(default=[], description="Kinds of secondary education offered")
    runs: int = Field(default=0, description="How many catalogue interventions its profile lists")


class School(BaseModel):
    id: str
    iri: str
    label: str
    studied_in: list[Ref]
    cases: list[Ref]
    institution_code: str | None = Field(default=None, description="DUO institution code (BRIN)")
    location_code: str | None = Field(default=None, description="DUO location code (vestigingscode)")
    competent_authority: str | None = Field(
        default=None, description="DUO number of the competent authority (bevoegd gezag)"
    )
    denomination: str | None = None
    education_types: list[str] = Field(default=[], description="Kinds of secondary education offered")
    address: Address | None = None
    municipality: Municipality | None = None
    source: Ref | None = Field(default=None, description="The register the school was imported from")
    runs: int = Field(default=0, description="How many catalogue interventions its profile lists")


class SnippetPart(BaseModel):
    text: str
    match: bool = Field(description="Whether this part is a word the query matched")


class SearchHit(BaseModel):
    """A resource that matches a search, with what to show of it."""

    id: str
    iri: str
    kind: str = Field(
        description="intervention, category, characteristic, framework, finding, case, source or school"
    )
    label: str
    context: list[str] = Field(description="What it belongs to: a category, framework, authors, a place")
    snippet: list[SnippetPart] = Field(description="Its best matching text, cut, the matches marked")
    score: float = Field(description="BM25 relevance; higher is better")


class Problem(BaseModel):
    """The body of an error answer: 404, 502, 503 (a 422 has FastAPI's own schema)."""

    detail: str


class UnknownName(BaseModel):
    id: str = Field(description="A name as given, that no resource has")
    closest: list[str] = Field(description="The ids of the closest known resources, best first")


class UnknownProblem(Problem):
    """The body of a 400 for names no resource has."""

    unknown: list[UnknownName]


# -- school profiles and gap analysis (api/services/gaps.py) -----------------------------------------


class Practice(BaseModel):
    intervention: Ref
    practice: str = Field(description="IRI of the plg:Practice")
    since: str | None = Field(description="A year (2019) or a date (2019-08-26)")
    notes: str | None


class Via(BaseModel):
    """An intervention that serves a characteristic, with the basis of that serves link."""

    intervention: Ref
    basis: Basis
    statement: str = Field(description="IRI of the qualified serves statement")


class GapFinding(BaseModel):
    id: str
    iri: str
    label: str
    description: str
    aspect: Literal["durability", "obstacle", "condition"]
    basis: Basis


class Covering(Via):
    """A catalogue intervention that would cover a gap, with what the chapter finds about it."""

    findings: list[GapFinding]


class ServedAtSchool(BaseModel):
    characteristic: Ref
    order: int
    by: list[Via] = Field(description="The school's interventions that serve it")


class Gap(BaseModel):
    characteristic: Ref
    order: int
    covered_by: list[Covering] = Field(description="Catalogue interventions that would serve it")
    unserved_reason: str | None = Field(description="Why no intervention of the catalogue serves it")


class Closing(BaseModel):
    """An open characteristic a next step would close, with the serves link that says so."""

    characteristic: Ref
    framework: Ref
    basis: Basis
    statement: str = Field(description="IRI of the qualified serves statement")


class NextStep(BaseModel):
    """An intervention the school does not run yet, ranked by a greedy cover of its open
    characteristics (plgkg.coverage): the most closed first, then the most links the chapter states."""

    id: str
    iri: str
    label: str
    category: Ref | None
    closes: list[str] = Field(description="Ids of the open characteristics it would close")
    closing: list[Closing] = Field(description="The same, each with its framework and serves link")
    stated: int = Field(description="How many of those links the chapter states (the rest it infers)")
    findings: list[GapFinding] = Field(
        description="What the chapter finds on its durability, obstacles and conditions ('let op')"
    )
    cases: list[Ref] = Field(description="Practice cases in the chapter that illustrate it")


class FrameworkGaps(BaseModel):
    framework: Ref
    served: list[ServedAtSchool]
    gaps: list[Gap]
    next_steps: list[NextStep] = Field(description="Ranked next steps for this framework's gaps only")


class GapAnalysis(BaseModel):
    frameworks: list[FrameworkGaps]
    next_steps: list[NextStep] = Field(description="Ranked next steps over the gaps of all frameworks")
    open: list[str] = Field(description="Ids of the characteristics that no next step closes")


class SchoolGaps(GapAnalysis):
    school: Ref
    runs: list[Practice] = Field(description="The interventions the school runs (its profile)")


class ProfileGaps(GapAnalysis):
    """The gap analysis of a profile given in the request (GET /api/gaps?run=…): nothing is stored."""

    school: Ref | None = Field(description="The school named with school=, if any")
    runs: list[Ref] = Field(description="The interventions of the profile")
