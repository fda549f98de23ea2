"""The "Mijn school" page (/gaps): pick a school (or none), tick the interventions it runs, read the
gap analysis with ranked next steps. The profile lives in the URL (run=<id>, repeated; school=<id or
vestigingscode>), so it can be bookmarked and shared and nothing is stored; a school with an imported
profile opens with it ticked. The same profile downloads as the CSV and YAML `plgkg import profiles`
reads, so that it can be imported into a store."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import yaml

from plgkg_api import models
from plgkg_api.i18n import words
from plgkg_api.services.reader import BASIS_CLASS, NotFound, UnknownNames
from plgkg_api.services.schools import find as find_schools
from plgkg_api.services.view import Context, Page

MAX_RUNS = 50  # more interventions than the catalogue holds (18), and a URL that fits any server
MAX_NAME = 200
MAX_CANDIDATES = 20  # schools listed when a typed name matches several


@dataclass
class Profile:
    """A profile as the request gives it, checked: the school (if one was named and found), the
    interventions (ids, in the catalogue's order), and what was wrong with the rest."""

    school: models.SchoolSummary | None = None
    school_text: str = ""
    runs: list[str] = field(default_factory=list)
    prefilled: bool = False
    candidates: list[models.SchoolSummary] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unknown: dict[str, list[str]] = field(default_factory=dict)


def read_profile(ctx: Context, runs: list[str], school: str | None) -> Profile:
    """The profile named by run= values and school=; nothing in it raises: each problem is said."""
    lang = ctx.view.lang
    t = words(lang)
    asked = Profile(school_text=(school or "").strip()[:MAX_NAME])
    if school and len(school.strip()) > MAX_NAME:
        asked.errors.append(t["search_too_long"].format(n=MAX_NAME))
    if len(runs) > MAX_RUNS:
        asked.errors.append(t["gaps_too_many"].format(n=MAX_RUNS))
        runs = runs[:MAX_RUNS]
    if asked.school_text:
        _school(ctx, asked)
    if not runs and asked.school is not None and asked.school.runs:
        imported = ctx.schools.gaps(asked.school.id, lang).runs
        runs = [p.intervention.id for p in imported]
        asked.prefilled = True
    named = [r.strip()[:MAX_NAME] for r in runs if r.strip()]
    found, asked.unknown = ctx.schools.analysis.match(named, lang)
    known = [str(i).rsplit("/", 1)[-1] for i in found]
    order = [i.id for i in ctx.schools.analysis.interventions(lang)]
    asked.runs = sorted(set(known), key=lambda i: (order.index(i) if i in order else len(order), i))
    for name, near in asked.unknown.items():
        asked.errors.append(
            t["gaps_unknown"].format(name=name)
            + (" " + t["gaps_did_you_mean"].format(names=", ".join(near)) if near else "")
        )
    return asked


def _school(ctx: Context, asked: Profile) -> None:
    """The school typed in the form: an id or vestigingscode, else a text that must match one school
    (several: they are listed to choose from)."""
    t = words(ctx.view.lang)
    try:
        asked.school = ctx.schools.find_one(asked.school_text, ctx.view.lang)
        return
    except NotFound:
        pass
    found = find_schools(ctx.schools.index(ctx.view.lang), asked.school_text)
    if len(found) == 1:
        asked.school = found[0]
    elif found:
        asked.candidates = found[:MAX_CANDIDATES]
        asked.errors.append(t["gaps_school_choose"].format(n=len(found), text=asked.school_text))
    else:
        asked.errors.append(t["gaps_school_unknown"].format(text=asked.school_text))


def _params(profile: Profile, school: str | None = None) -> dict[str, str | list[str]]:
    chosen = school if school is not None else (profile.school.id if profile.school else "")
    return {**({"school": chosen} if chosen else {}), **({"run": profile.runs} if profile.runs else {})}


def profile_page(ctx: Context, runs: list[str], school: str | None) -> Page:
    lang = ctx.view.lang
    t = words(lang)
    asked = read_profile(ctx, runs, school)
    params = _params(asked)
    analysis = None
    if runs or school:
        analysis = ctx.schools.analysis.analyse(
            [f"{ctx.reader.base_iri}intervention/{i}" for i in asked.runs], lang
        )
    interventions = ctx.schools.analysis.interventions(lang)
    categories: dict[str, dict] = {}
    for item in interventions:
        group = categories.setdefault(item.category.id, {"category": item.category, "interventions": []})
        group["interventions"].append({"item": item, "short": _first_sentence(item.definition)})
    return Page.of(
        "gaps.html",
        title=t["gaps_title"],
        crumbs=[(t["gaps_title"], ctx.view.with_lang("/gaps"))],
        status=400 if asked.errors else 200,
        profile=asked,
        categories=list(categories.values()),
        analysis=analysis,
        labels={i.id: i.label for i in interventions},
        share_url=ctx.view.with_lang("/gaps", params),
        json_url="/api/gaps?" + urlencode({**params, "lang": lang}, doseq=True),
        csv_url=ctx.view.with_lang("/gaps/profile.csv", params) if asked.school else None,
        yaml_url=ctx.view.with_lang("/gaps/profile.yaml", params) if asked.school else None,
        candidate_urls=[
            (c, ctx.view.with_lang("/gaps", _params(asked, school=c.location_code or c.id)))
            for c in asked.candidates
        ],
        basis_class=BASIS_CLASS,
    )


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


# -- the profile as a file for `plgkg import profiles` ---------------------------------------------


COLUMNS = ("school", "intervention", "since", "notes")


@dataclass(frozen=True)
class File:
    name: str
    media_type: str
    body: str


def profile_file(ctx: Context, runs: list[str], school: str | None, suffix: str) -> File:
    """The profile as a file for `plgkg import profiles`: suffix "csv" or "yaml"."""
    asked, rows = profile_rows(ctx, runs, school)
    assert asked.school is not None
    name = f"profile-{asked.school.id}.{suffix}"
    if suffix == "csv":
        return File(name, "text/csv; charset=utf-8", profile_csv(rows))
    return File(name, "application/yaml; charset=utf-8", profile_yaml(rows, asked.school))


def profile_rows(ctx: Context, runs: list[str], school: str | None) -> tuple[Profile, list[dict[str, str]]]:
    """The profile's rows as `plgkg import profiles` reads them: the school by its vestigingscode (else
    its id), each intervention by id, with since and notes where the school's imported profile has
    them (so that importing the file again keeps them). NotFound without a school; UnknownNames for
    unknown interventions."""
    lang = ctx.view.lang
    asked = read_profile(ctx, runs, school)
    if asked.school is None:
        raise NotFound("school", school or "")
    if asked.unknown:
        raise UnknownNames("intervention", asked.unknown)
    imported = {}
    if asked.school.runs:
        imported = {p.intervention.id: p for p in ctx.schools.gaps(asked.school.id, lang).runs}
    code = asked.school.location_code or asked.school.id
    rows = []
    for run in asked.runs:
        known = imported.get(run)
        rows.append(
            {
                "school": code,
                "intervention": run,
                "since": (known.since or "") if known else "",
                "notes": (known.notes or "") if known else "",
            }
        )
    return asked, rows


def profile_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def profile_yaml(rows: list[dict[str, str]], school: models.SchoolSummary) -> str:
    entries = [{k: v for k, v in row.items() if v} for row in rows]
    label = " ".join(school.label.split())  # one line: a comment cannot end early
    head = (
        f"# The profile of {label}, from plgkg's Mijn school page.\n"
        "# Import it with: plgkg import profiles THIS-FILE --store-path DIR\n"
    )
    return head + (yaml.safe_dump(entries, allow_unicode=True, sort_keys=False) if entries else "[]\n")
