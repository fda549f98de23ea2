"""A realistic large data set: synthetic schools in the Dutch school registry's own CSV (DUO's
`alle-vestigingen-vo.csv`: `;`-separated, its 31 columns, UTF-8 with a byte-order mark, CRLF) and a
profile CSV of 3-10 practices per school, which `plgkg import schools` and `plgkg import profiles`
read; plus the same data as N-Triples (catalogue + what the imports write), for `oxigraph load`
and `plgkg serve --data`.

    python -m bench.generate --triples 1000000 -o bench/out/scale-1000000
    # -> scale-1000000.schools.csv, scale-1000000.profiles.csv, scale-1000000.nt

Fixed seed, so the same size gives the same files. The N-Triples come from the CSVs through the
import's own code (plgkg.register.row_triples, plgkg.imports.profiles.build_graph), so they are exactly what
the imports write and conform to the shapes; the triple count includes the catalogue."""

from __future__ import annotations

import argparse
import random
import string
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import queries

ID = "https://w3id.org/plgkg/id/"
PLG = "https://w3id.org/plgkg/ontology#"
SEED = 20240601
# DUO's header, all 31 columns (the import reads the first 15 of them).
HEADER = (
    "PROVINCIE;BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;"
    "HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;DENOMINATIE;TELEFOONNUMMER;"
    "INTERNETADRES;ONDERWIJSSTRUCTUUR;STRAATNAAM CORRESPONDENTIEADRES;HUISNUMMER-TOEVOEGING "
    "CORRESPONDENTIEADRES;POSTCODE CORRESPONDENTIEADRES;PLAATSNAAM CORRESPONDENTIEADRES;NODAAL GEBIED CODE;"
    "NODAAL GEBIED NAAM;RPA-GEBIED CODE;RPA-GEBIED NAAM;WGR-GEBIED CODE;WGR-GEBIED NAAM;COROPGEBIED CODE;"
    "COROPGEBIED NAAM;ONDERWIJSGEBIED CODE;ONDERWIJSGEBIED NAAM;RMC-REGIO CODE;RMC-REGIO NAAM"
)

MUNICIPALITIES = [
    ("0363", "AMSTERDAM", "Noord-Holland"), ("0599", "ROTTERDAM", "Zuid-Holland"),
    ("0518", "'S-GRAVENHAGE", "Zuid-Holland"), ("0344", "UTRECHT", "Utrecht"),
    ("0772", "EINDHOVEN", "Noord-Brabant"), ("0014", "GRONINGEN", "Groningen"),
    ("0855", "TILBURG", "Noord-Brabant"), ("0034", "ALMERE", "Flevoland"), ("0758", "BREDA", "Noord-Brabant"),
    ("0268", "NIJMEGEN", "Gelderland"), ("0193", "ZWOLLE", "Overijssel"), ("0080", "LEEUWARDEN", "Friesland"),
    ("0202", "ARNHEM", "Gelderland"), ("0935", "MAASTRICHT", "Limburg"), ("0546", "LEIDEN", "Zuid-Holland"),
    ("0392", "HAARLEM", "Noord-Holland"), ("0153", "ENSCHEDE", "Overijssel"), ("0106", "ASSEN", "Drenthe"),
    ("0200", "APELDOORN", "Gelderland"), ("0796", "'S-HERTOGENBOSCH", "Noord-Brabant"),
] + [(f"{code:04d}", f"GEMEENTE {code:04d}", "Gelderland") for code in range(1000, 1000 + 322)]  # fmt: skip
DENOMINATIONS = ["Openbaar", "Rooms-Katholiek", "Protestants-Christelijk", "Algemeen bijzonder",
                 "Interconfessioneel", "Reformatorisch", "Islamitisch", "Samenwerking Opb., PC"]  # fmt: skip
STRUCTURES = ["VMBO", "VMBO-T", "HAVO", "VWO", "PRO", "VAVO", "HAVO/VWO", "VMBO/HAVO/VWO", "VMBO-T/HAVO"]
NAME_HEADS = ["Het", "De", "Sint", "Christelijk", "Openbaar", "Stedelijk", "Regionaal"]
NAME_BODIES = ["Lyceum", "College", "Gymnasium", "Scholengemeenschap", "Vakcollege", "Atheneum", "Campus"]
NAME_TAILS = ["Noord", "Zuid", "aan Zee", "de Horst", "Erasmus", "Spinoza", "Comenius", "Vondel",
              "Rembrandt", "Huygens", "Maerlant", "Stevin", "Descartes", "Montessori", "Dalton"]  # fmt: skip
STREETS = ["Schoolstraat", "Kerkweg", "Dorpsstraat", "Stationsplein", "Julianalaan", "Molenweg",
           "Lindenlaan", "Parkweg", "Beatrixlaan", "Nieuwe Gracht"]  # fmt: skip
POSTCODE_LETTERS = "ABCEGHJKLMNPRSTVWXZ"


@dataclass
class Generated:
    schools_csv: Path
    profiles_csv: Path
    ntriples: Path
    triples: int  # in the N-Triples: catalogue + user data
    user_triples: int  # what the two imports write into the user graph
    schools: int
    practices: int


def institution_codes(rng: random.Random) -> Iterator[str]:
    letters = string.ascii_uppercase
    codes = [f"{d:02d}{a}{b}" for d in range(100) for a in letters for b in letters]
    rng.shuffle(codes)
    yield from codes


def school_rows(rng: random.Random, interventions: list[str]) -> Iterator[tuple[str, list[tuple]]]:
    """Endless DUO rows (as CSV lines) with each school's practices (intervention slug, since)."""
    for institution in institution_codes(rng):
        authority = str(rng.randint(10000, 99999))
        name = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_BODIES)} {rng.choice(NAME_TAILS)}"
        denomination = rng.choice(DENOMINATIONS)
        for location in range(rng.choice((1, 1, 1, 2, 3))):
            code = f"{institution}{location:02d}"
            number, town, province = rng.choice(MUNICIPALITIES)
            letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
            postcode = f"{rng.randint(1000, 9999)} {letters}"
            street, house = rng.choice(STREETS), str(rng.randint(1, 250))
            site = name if location == 0 else f"{name} locatie {location + 1}"
            region = [f"{rng.randint(1, 40):02d}", "Fictief gebied"] * 6
            fields = [
                province, authority, institution, code, site, street, house, postcode, town, number, town,
                denomination, "0" + str(rng.randint(100000000, 999999999)), f"www.{code.lower()}.example",
                rng.choice(STRUCTURES), "Postbus", str(rng.randint(1, 9999)), postcode, town, *region,
            ]  # fmt: skip
            practices = [
                (slug, str(rng.randint(2005, 2024)))
                for slug in rng.sample(interventions, rng.randint(3, min(10, len(interventions))))
            ]
            yield ";".join(fields), practices


def generate_files(
    catalogue: Path, stem: Path, triples: int, seed: int = SEED, *, schools: int | None = None
) -> Generated:
    """Write stem.schools.csv, stem.profiles.csv and stem.nt: as many schools as it takes for the
    N-Triples (the catalogue plus what the imports write) to reach `triples`, or `schools` schools."""
    from rdflib import Literal, URIRef

    from plgkg.imports import profiles, register

    rng = random.Random(seed)
    slugs = sorted(i.rsplit("/", 1)[1] for i in queries.subjects_of_type(catalogue, PLG + "Intervention"))
    out = Generated(
        stem.with_name(stem.name + ".schools.csv"),
        stem.with_name(stem.name + ".profiles.csv"),
        stem.with_name(stem.name + ".nt"),
        0,
        0,
        0,
        0,
    )
    stem.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.split(";")
    seen: set[str] = set()  # node triples written once (municipalities, the DUO dataset)
    with (
        out.schools_csv.open("w", encoding="utf-8-sig", newline="") as duo,
        out.profiles_csv.open("w", encoding="utf-8", newline="") as practices,
        out.ntriples.open("w", encoding="utf-8") as nt,
    ):
        with catalogue.open(encoding="utf-8") as src:
            for line in src:
                if line.strip():
                    nt.write(line if line.endswith("\n") else line + "\n")
                    out.triples += 1
        duo.write(HEADER + "\r\n")
        practices.write("school,intervention,since\r\n")
        source = Literal(out.profiles_csv.name)
        for line, profile in school_rows(rng, slugs):
            if (out.schools >= schools) if schools is not None else (out.triples >= triples):
                break
            row = register.Row(out.schools + 2, dict(zip(header, line.split(";"), strict=True)))
            lines = []
            for s, p, o in register.row_triples(row) + (register.dataset_triples() if not seen else []):
                text = f"{s.n3()} {p.n3()} {o.n3()} .\n"
                if s == register.DUO_DATASET or "/municipality/" in s:
                    if text in seen:
                        continue
                    seen.add(text)
                lines.append(text)
            school = register.school_iri(row.code)
            entries = [
                profiles.Practice(
                    0,
                    school,
                    URIRef(f"{profiles.INTERVENTION}{slug}"),
                    Literal(since, datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
                    [],
                )
                for slug, since in profile
            ]
            for s, p, o in profiles.build_graph(entries, source.value):
                lines.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            duo.write(line + "\r\n")
            practices.writelines(f"{row.code},{slug},{since}\r\n" for slug, since in profile)
            nt.writelines(lines)
            out.triples += len(lines)
            out.user_triples += len(lines)
            out.schools += 1
            out.practices += len(profile)
    return out


def export_catalogue(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    plgkg = str(Path(sys.executable).with_name("plgkg"))
    subprocess.run([plgkg, "export", "--format", "nt", "-o", str(path)], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="N-Triples size, catalogue included")
    parser.add_argument("--catalogue", type=Path, help="the catalogue as N-Triples (default: plgkg export)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the stem: STEM.schools.csv, …")
    parser.add_argument("--schools", type=int, help="stop at this many schools instead")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    catalogue = args.catalogue or export_catalogue(args.output.with_name("catalogue.nt"))
    made = generate_files(catalogue, args.output, args.triples, args.seed, schools=args.schools)
    print(
        f"{made.schools_csv}: {made.schools} schools; {made.profiles_csv}: {made.practices} practices; "
        f"{made.ntriples}: {made.triples} triples ({made.user_triples} in the user graph)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
