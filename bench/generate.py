"""A realistic large data set: the validated catalogue plus N synthetic schools shaped like the Dutch
school registry (DUO), each with a profile of 3-10 practices, streamed as N-Triples.

    python -m bench.generate --triples 1000000 -o bench/out/scale-1000000.nt

Fixed seed, so the same size gives the same file. Terms follow ontology/plg.ttl's registry section:
plg:School at id/school/<vestigingscode> with schema:name, plg:institutionCode (^[0-9]{2}[A-Z]{2}$),
plg:locationCode, schema:address (a schema:PostalAddress with street, postcode, locality),
plg:municipality (a plg:Municipality), plg:denomination, plg:educationType, plg:competentAuthority,
dcterms:source; and per practice a plg:Practice node (plg:school, plg:intervention, plg:since gYear)
beside the materialised `school plg:runs intervention`."""

from __future__ import annotations

import argparse
import random
import string
import subprocess
import sys
from pathlib import Path

from bench import queries

ID = "https://w3id.org/plgkg/id/"
PLG = "https://w3id.org/plgkg/ontology#"
SDO = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT_SOURCE = "http://purl.org/dc/terms/source"
DUO = "https://duo.nl/open_onderwijsdata/voortgezet-onderwijs/adressen/vestigingen-vo.jsp"
SEED = 20240601

MUNICIPALITIES = [
    ("0363", "Amsterdam"), ("0599", "Rotterdam"), ("0518", "'s-Gravenhage"), ("0344", "Utrecht"),
    ("0772", "Eindhoven"), ("0014", "Groningen"), ("0855", "Tilburg"), ("0034", "Almere"),
    ("0758", "Breda"), ("0268", "Nijmegen"), ("0193", "Zwolle"), ("0080", "Leeuwarden"),
    ("0202", "Arnhem"), ("0935", "Maastricht"), ("0546", "Leiden"), ("0392", "Haarlem"),
    ("0153", "Enschede"), ("0106", "Assen"), ("0200", "Apeldoorn"), ("0796", "'s-Hertogenbosch"),
]
DENOMINATIONS = ["Openbaar", "Rooms-Katholiek", "Protestants-Christelijk", "Algemeen bijzonder",
                 "Interconfessioneel", "Reformatorisch", "Islamitisch", "Samenwerking Opb., PC"]
EDUCATION_TYPES = ["VMBO", "VMBO-T", "HAVO", "VWO", "PRO", "VAVO"]
NAME_HEADS = ["Het", "De", "Sint", "Christelijk", "Openbaar", "Stedelijk", "Regionaal"]
NAME_BODIES = ["Lyceum", "College", "Gymnasium", "Scholengemeenschap", "Vakcollege", "Atheneum", "Campus"]
NAME_TAILS = ["Noord", "Zuid", "aan Zee", "de Horst", "Erasmus", "Spinoza", "Comenius", "Vondel",
              "Rembrandt", "Huygens", "Maerlant", "Stevin", "Descartes", "Montessori", "Dalton"]
STREETS = ["Schoolstraat", "Kerkweg", "Dorpsstraat", "Stationsplein", "Julianalaan", "Molenweg",
           "Lindenlaan", "Parkweg", "Beatrixlaan", "Nieuwe Gracht"]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _iri(iri: str) -> str:
    return f"<{iri}>"


def institution_codes(rng: random.Random):
    codes = [f"{d:02d}{a}{b}" for d in range(100) for a in string.ascii_uppercase for b in string.ascii_uppercase]
    rng.shuffle(codes)
    yield from codes


def generate(catalogue: Path, out: Path, triples: int, seed: int = SEED) -> tuple[int, int]:
    """Write the catalogue plus as many schools as it takes to reach `triples`; (triples, schools)."""
    rng = random.Random(seed)
    interventions = queries.subjects_of_type(catalogue, PLG + "Intervention")
    municipalities = list(MUNICIPALITIES) + [
        (f"{code:04d}", f"Gemeente {code:04d}") for code in range(1000, 1000 + 322)]
    seen_municipality: set[str] = set()
    written = 0
    schools = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as nt:
        with catalogue.open(encoding="utf-8") as src:
            for line in src:
                if line.strip():
                    nt.write(line if line.endswith("\n") else line + "\n")
                    written += 1
        codes = institution_codes(rng)
        while written < triples:
            institution = next(codes)
            for location in range(rng.choice((1, 1, 1, 2, 3))):
                if written >= triples:
                    break
                lines: list[str] = []
                t = lines.append
                loc = f"{institution}{location:02d}"
                school = _iri(f"{ID}school/{loc.lower()}")
                address = _iri(f"{ID}address/{loc.lower()}")
                mcode, mname = rng.choice(municipalities)
                municipality = _iri(f"{ID}municipality/{mcode}")
                name = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_BODIES)} {rng.choice(NAME_TAILS)}"
                t(f"{school} <{RDF_TYPE}> <{PLG}School> .")
                t(f"{school} <{SDO}name> {_lit(name)} .")
                t(f"{school} <{PLG}institutionCode> {_lit(institution)} .")
                t(f"{school} <{PLG}locationCode> {_lit(loc)} .")
                t(f"{school} <{SDO}address> {address} .")
                t(f"{school} <{PLG}municipality> {municipality} .")
                t(f"{school} <{PLG}denomination> {_lit(rng.choice(DENOMINATIONS))} .")
                for kind in rng.sample(EDUCATION_TYPES, rng.randint(1, 3)):
                    t(f"{school} <{PLG}educationType> {_lit(kind)} .")
                t(f"{school} <{PLG}competentAuthority> {_lit(str(rng.randint(10000, 99999)))} .")
                t(f"{school} <{DCT_SOURCE}> <{DUO}> .")
                t(f"{address} <{RDF_TYPE}> <{SDO}PostalAddress> .")
                t(f"{address} <{SDO}streetAddress> {_lit(f'{rng.choice(STREETS)} {rng.randint(1, 250)}')} .")
                postcode = f"{rng.randint(1000, 9999)} {rng.choice('ABCEGHJKLMNPRSTVWXZ')}{rng.choice('ABCEGHJKLMNPRSTVWXZ')}"
                t(f"{address} <{SDO}postalCode> {_lit(postcode)} .")
                t(f"{address} <{SDO}addressLocality> {_lit(mname.removeprefix('Gemeente ').upper() if mname.startswith('Gemeente') else mname.upper())} .")
                if mcode not in seen_municipality:
                    seen_municipality.add(mcode)
                    t(f"{municipality} <{RDF_TYPE}> <{PLG}Municipality> .")
                    t(f"{municipality} <{SDO}name> {_lit(mname)} .")
                    t(f"{municipality} <{PLG}municipalityCode> {_lit(mcode)} .")
                for intervention in rng.sample(interventions, rng.randint(3, min(10, len(interventions)))):
                    slug = intervention.rsplit("/", 1)[1]
                    practice = _iri(f"{ID}practice/{loc.lower()}--{slug}")
                    t(f"{practice} <{RDF_TYPE}> <{PLG}Practice> .")
                    t(f"{practice} <{PLG}school> {school} .")
                    t(f"{practice} <{PLG}intervention> <{intervention}> .")
                    t(f'{practice} <{PLG}since> "{rng.randint(2005, 2024)}"^^<{XSD}gYear> .')
                    t(f"{school} <{PLG}runs> <{intervention}> .")
                nt.write("\n".join(lines) + "\n")
                written += len(lines)
                schools += 1
    return written, schools


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--catalogue", type=Path, help="the catalogue as N-Triples (default: plgkg export)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    catalogue = args.catalogue
    if catalogue is None:
        catalogue = args.output.with_name("catalogue.nt")
        subprocess.run([str(Path(sys.executable).with_name("plgkg")), "export", "--format", "nt", "-o",
                        str(catalogue)], check=True)
    written, schools = generate(catalogue, args.output, args.triples, args.seed)
    print(f"{args.output}: {written} triples, {schools} schools")
    return 0


if __name__ == "__main__":
    sys.exit(main())
