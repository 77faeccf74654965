"""Export benchmark: write N offers as Turtle, N-Triples, JSON-LD and LOQ XML, against building one rdflib Graph.

    python benchmarks/export.py [--offers 100000] [--naive-offers 5000]

Each measurement runs in its own process so that its peak RSS is its own. The register's way:
offer by offer, from domain objects through the mapping engine to a streaming writer (what
`ila-register export` and GET /elm/learning-opportunities do after reading each page of offers
from the database). The naive way: every triple into one rdflib Graph, then `serialize`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec

from corpus import ROOT, offers
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import load_schemes
from ila_register.elm.jsonld import JsonLdContexts
from ila_register.elm.loq_xml import LoqXmlWriter, load_loq_additions, load_loq_xml_mapping
from ila_register.elm.mapping import MappingEngine, load_mapping
from ila_register.elm.terms import Triple
from ila_register.elm.views import offer_context
from ila_register.elm.writers import JsonLdWriter, TurtleWriter, ntriples, without_repeats
from ila_register.offers.domain import Offer
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.validation import OfferValidator
from ila_register.providers.domain import Provider, validate_provider
from ila_register.providers.schemas import ProviderCreate
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

BASE = "https://register.example.be"


def graphs(n: int, *, loq: bool = False) -> Iterator[list[Triple]]:
    """The complete ELM graph of each of N corpus offers, one at a time (``loq``: with the LOQ XML additions)."""
    vocabulary = Vocabulary.load(ROOT / "vocab")
    schemes = load_schemes(ROOT / "vocab" / "schemes", vocabulary)
    pricing = Pricing.load(ROOT / "vocab", schemes, vocabulary)
    validator = OfferValidator(vocabulary, BelgianPlaces.load(ROOT / "vocab"), set(schemes))
    engine = MappingEngine(load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", vocabulary), vocabulary)
    additions = load_loq_additions(ROOT / "elm_mappings" / "loq-xml-additions.toml", vocabulary) if loq else None
    now = datetime(2026, 11, 23, tzinfo=UTC)
    providers: dict[int, Provider] = {}
    for number, item in enumerate(offers(n)):
        if item.provider_index not in providers:
            content = validate_provider(msgspec.convert(item.provider_document, ProviderCreate), vocabulary)
            providers[item.provider_index] = Provider(
                id=uuid.UUID(int=item.provider_index, version=4),
                content=content,
                status="active",
                version=1,
                created_at=now,
                updated_at=now,
            )
        provider = providers[item.provider_index]
        offer_content = validator.validate(msgspec.convert(item.document, OfferCreate))
        offer = Offer(
            id=uuid.UUID(int=number + 1, version=4),
            provider_id=provider.id,
            content=offer_content,
            status="active",
            version=1,
            created_at=now,
            updated_at=now,
        )
        requested = offer_content.schemes_requested or ["be-fed-opleidingsrecht"]
        statuses = [SchemeStatus(scheme_id=s, status="eligible", rules_version="1", results=()) for s in requested]
        context = offer_context(
            offer, statuses, provider, schemes, pricing, BASE, vocabulary, date(2026, 11, 23), engine.mapping.texts
        )
        triples = list(engine.triples(context))
        if additions is not None:  # what GET /elm/learning-opportunities adds for LOQ XML
            triples += additions.triples(context)
        yield triples


def run(fmt: str, n: int, out: Path, in_memory: bool) -> dict[str, Any]:
    """One export in this process (called in a child process by main).

    ``in_memory``: the offers' triples are built before the clock starts, so that only writing is
    timed (for the side-by-side with the naive way); otherwise the whole pipeline is timed.
    """
    prefixes = load_mapping(
        ROOT / "elm_mappings" / "learning-opportunity.toml", Vocabulary.load(ROOT / "vocab")
    ).prefixes
    triples = 0
    prepared = list(graphs(n, loq=fmt == "xml")) if in_memory else None

    def counted() -> Iterator[list[Triple]]:
        nonlocal triples
        for graph in prepared if prepared is not None else graphs(n, loq=fmt == "xml"):
            triples += len(graph)
            yield graph

    started = time.perf_counter()
    with out.open("wb") as handle:
        if fmt == "naive-ttl":
            from rdflib import Graph, Literal, URIRef

            from ila_register.elm.terms import IRI

            graph = Graph()
            for name, namespace in prefixes.items():
                graph.bind(name, namespace)
            for chunk in counted():
                for s, p, o in chunk:
                    obj = (
                        URIRef(o.value)
                        if isinstance(o, IRI)
                        else Literal(
                            o.lexical,
                            lang=o.language,
                            datatype=URIRef(o.datatype) if o.datatype and not o.language else None,
                        )
                    )
                    graph.add((URIRef(s), URIRef(p), obj))
            handle.write(graph.serialize(format="turtle").encode())
        elif fmt == "xml":
            LoqXmlWriter(load_loq_xml_mapping(ROOT / "elm_mappings" / "loq-xml.toml")).write(counted(), handle)
        else:
            chunks = without_repeats(counted(), f"{BASE}/id/learning-opportunity/")
            if fmt == "nt":
                pieces = ntriples(chunks)
            elif fmt == "jsonld":
                pieces = JsonLdWriter(JsonLdContexts.load(BASE, prefixes)).document(chunks)
            else:
                pieces = TurtleWriter(prefixes).document(chunks)
            for piece in pieces:
                handle.write(piece.encode())
    seconds = time.perf_counter() - started
    return {
        "format": fmt,
        "offers": n,
        "timed": "writing only" if in_memory else "whole pipeline",
        "seconds": round(seconds, 2),
        "triples": triples,
        "triples_per_second": round(triples / seconds),
        "bytes": out.stat().st_size,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def child(fmt: str, n: int, work: Path, in_memory: bool = False) -> dict[str, Any]:
    answer = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            fmt,
            "--offers",
            str(n),
            "--work",
            str(work),
            *(["--in-memory"] if in_memory else []),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--naive-offers", type=int, default=5_000)
    parser.add_argument("--child")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ila-export-bench")
    parser.add_argument("--in-memory", action="store_true")
    args = parser.parse_args()
    if args.child:
        out = args.work / f"export-{args.child}-{args.offers}.out"
        print(json.dumps(run(args.child, args.offers, out, args.in_memory)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    small = args.naive_offers
    report: dict[str, Any] = {
        "command": " ".join(["python", *sys.argv]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": [],
    }
    # Side by side at the naive size, then the register's way at growing sizes (memory must stay flat).
    naive = child("naive-ttl", small, args.work, in_memory=True)
    ours = child("ttl", small, args.work, in_memory=True)
    report["runs"] += [naive, ours]
    report["ratio_naive_over_streaming_turtle_writing"] = round(naive["seconds"] / max(ours["seconds"], 0.001), 1)
    for n in sorted({small * 4, args.offers}):
        for fmt in ("ttl", "nt", "jsonld", "xml"):
            report["runs"].append(child(fmt, n, args.work))
            print(json.dumps(report["runs"][-1]), file=sys.stderr)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
