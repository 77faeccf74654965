"""Write the judged relevance set: corpus.jsonl (the offers) and judgements.jsonl (the queries).

    PYTHONPATH=src python benchmarks/relevance/generate.py [--check]

Deterministic (seeded): the same fragment files give byte-identical output, which is committed;
the committed files ARE the judged set, this script only explains how they were made. `--check`
regenerates in memory and fails if the committed files differ.

The offers combine hand-written fragments (subjects.toml, fillers.toml, towns.csv). The queries
are hand-written with their intent (queries.toml): which subjects answer them, and what the
citizen asked for besides (a kind, a level, a place, free, filters). Each offer is judged against
each query by the rules of README.md ("Grading"), from what the offer is about (its subject and
tags) and where, when, how and in which language it is given, never from what an engine returns.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGUAGES = ("nl", "fr", "de", "en")
SEED = 15
PER_WEIGHT = 16  # offers per unit of subject weight
LANGUAGE_SHARE = {"nl": 0.45, "fr": 0.35, "de": 0.10, "en": 0.10}
TAG = re.compile(r"\s+#([a-z0-9]+)")
FIRST_START = date(2027, 1, 11)
RELEVANT = 2  # grades from 2 up count as relevant (recall, MRR, zero results); 1 only adds to nDCG

# Which schemes a provider of an area asks for, per kind of offer (vocab/schemes/).
SCHEMES = {
    ("vl", "training"): ["be-vl-opleidingscheques", "be-vl-opleidingsverlof"],
    ("bru", "training"): ["be-bru-cheques-formation"],
    ("wal", "training"): ["be-wal-cheques-formation"],
    ("dg", "training"): ["be-dg-bildungsurlaub"],
    ("vl", "guidance"): ["be-vl-loopbaancheques"],
    ("vl", "validation"): ["be-vl-evc"],
    ("wal", "validation"): ["be-wal-bru-validation-competences"],
    ("bru", "validation"): ["be-wal-bru-validation-competences"],
}
AREA_OF_LANGUAGE = {"nl": [("vl", 0.85), ("bru", 0.15)], "fr": [("wal", 0.8), ("bru", 0.2)], "de": [("dg", 1.0)]}
AREA_OF_LANGUAGE["en"] = [("bru", 0.7), ("vl", 0.15), ("wal", 0.15)]


@dataclass(frozen=True)
class Town:
    postcode: str
    name: str
    province: str
    area: str
    lat: float
    lon: float


def split_tags(fragment: str) -> tuple[str, set[str]]:
    return TAG.sub("", fragment).strip(), set(TAG.findall(fragment))


def load_towns() -> list[Town]:
    points: dict[str, tuple[float, float]] = {}
    with (ROOT / "vocab" / "be-postcode-coordinates.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            points.setdefault(row["postcode"], (float(row["lat"]), float(row["lon"])))
    with (HERE / "towns.csv").open(encoding="utf-8") as handle:
        return [
            Town(r["postcode"], r["town"], r["province"], r["area"], *points[r["postcode"]])
            for r in csv.DictReader(handle)
        ]


def weighted(rng: random.Random, choices: list[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class OfferWriter:
    def __init__(self) -> None:
        self.subjects: dict[str, Any] = tomllib.loads((HERE / "subjects.toml").read_text(encoding="utf-8"))
        self.fillers: dict[str, Any] = tomllib.loads((HERE / "fillers.toml").read_text(encoding="utf-8"))
        self.towns = load_towns()
        self.rng = random.Random(SEED)

    def offers(self) -> list[dict[str, Any]]:
        plan: list[str] = []
        for name, subject in self.subjects.items():
            plan += [name] * int(subject.get("count", subject.get("weight", 1) * PER_WEIGHT))
        self.rng.shuffle(plan)
        return [self.offer(f"rel-{number:04d}", name) for number, name in enumerate(plan, start=1)]

    def offer(self, offer_id: str, name: str) -> dict[str, Any]:
        rng = self.rng
        subject = self.subjects[name]
        available = [lang for lang in LANGUAGES if lang in subject]
        language = weighted(rng, [(lang, LANGUAGE_SHARE[lang]) for lang in available])
        area = weighted(rng, AREA_OF_LANGUAGE[language])
        kinds = subject["kinds"]
        kind = kinds[0]
        if "validation" in kinds and "v" in subject[language] and rng.random() < 0.2:
            kind = "validation"
        elif "guidance" in kinds and len(kinds) > 1 and rng.random() < 0.4:
            kind = "guidance" if kinds[0] != "guidance" else kinds[1]
        tags: set[str] = set()
        home = rng.choice([t for t in self.towns if t.area == area])
        sessions, mode = self.sessions(subject, kind, home)
        title, title_tags = split_tags(rng.choice(subject[language]["v" if kind == "validation" else "t"]))
        tags |= title_tags
        if rng.random() < 0.15 and sessions[0].get("location"):
            title += rng.choice(self.fillers["suffix"][language]).format(town=home.name)
        titles = {language: title}
        descriptions = {language: self.description(subject, language, tags)}
        instruction = [language]
        others = [lang for lang in available if lang != language]
        if area == "bru" and language in ("nl", "fr") and rng.random() < 0.5:
            other = "fr" if language == "nl" else "nl"
            if other in subject:
                instruction.append(other)
                titles[other], more = split_tags(rng.choice(subject[other]["v" if kind == "validation" else "t"]))
                tags |= more
                descriptions[other] = self.description(subject, other, tags)
        elif others and rng.random() < 0.15:
            other = rng.choice(others)
            key = "v" if kind == "validation" and "v" in subject[other] else "t"
            titles[other], more = split_tags(rng.choice(subject[other][key]))
            tags |= more
        outcomes, amount, hours = self.facts(subject, kind, language, tags)
        if any(s.get("online") for s in sessions):
            tags.add("online")
        if amount == 0:
            tags.add("free")
        provider = rng.choice(self.fillers["providers"][area])
        document: dict[str, Any] = {
            "reference": offer_id.upper(),
            "kind": kind,
            "title": titles,
            "description": descriptions,
            "default_language": language,
            "languages": instruction,
            "homepage": f"https://{re.sub(r'[^a-z]+', '-', provider.lower()).strip('-')}.example.be/{offer_id}",
            "learning_opportunity_type": "mentoring" if kind == "guidance" else "course",
            "mode": mode,
            "schedule": "part-time",
            "learning_outcomes": outcomes,
            "isced_f": subject["isced"],
            "eqf_level": 2 if kind == "validation" else rng.choice([2, 3, 4, 5]),
            "duration_hours": hours,
            "price": {"amount": f"{amount}.00", "currency": "EUR"},
            "target_groups": rng.sample(["employee", "jobseeker", "self-employed"], rng.randint(1, 3)),
            "sessions": sessions,
            "schemes_requested": SCHEMES.get((area, kind), ["be-fed-opleidingsrecht"]),
        }
        return {"id": offer_id, "subject": name, "tags": sorted(tags), "provider": provider, "document": document}

    def facts(self, subject: dict[str, Any], kind: str, language: str, tags: set[str]) -> tuple[list[Any], int, int]:
        """Learning outcomes, price and hours of an offer."""
        rng = self.rng
        outcomes: list[dict[str, str]] = []
        pool = subject[language]["o"]
        for fragment in rng.sample(pool, rng.randint(0, min(4, len(pool)))):
            text, more = split_tags(fragment)
            tags |= more
            outcomes.append({language: text})
        low, high = subject["price"]
        amount = 0 if low == 0 and rng.random() < 0.2 else max(low, round(rng.uniform(low, high) / 5) * 5)
        hours_low, hours_high = subject["hours"]
        hours = max(hours_low, round(rng.uniform(hours_low, hours_high) / 2) * 2)
        return outcomes, amount, min(hours, 12) if kind == "guidance" else hours

    def description(self, subject: dict[str, Any], language: str, tags: set[str]) -> str:
        rng = self.rng
        pool = subject[language]["d"]
        sentences = []
        for fragment in rng.sample(pool, rng.randint(1, min(3, len(pool)))):
            text, more = split_tags(fragment)
            tags |= more
            sentences.append(text)
        sentences += rng.sample(self.fillers["filler"][language], rng.choice([0, 0, 1, 2]))
        return " ".join(sentences)

    def sessions(self, subject: dict[str, Any], kind: str, home: Town) -> tuple[list[dict[str, Any]], str]:
        rng = self.rng
        start = FIRST_START + timedelta(days=7 * rng.randint(0, 44))
        online_roll = rng.random() if subject.get("online") else 1.0
        if online_roll < 0.2:
            return [self.session(start, None)], "online"
        places = [home]
        extra = rng.random()
        if extra < 0.35:
            same_area = [t for t in self.towns if t.area == home.area and t.postcode != home.postcode]
            places += rng.sample(same_area, 2 if extra < 0.08 else 1)
        sessions = [self.session(start + timedelta(days=21 * n), town) for n, town in enumerate(places)]
        if online_roll < 0.35:
            sessions.append(self.session(start + timedelta(days=14), None))
            return sessions, "blended"
        return sessions, "presential"

    def session(self, start: date, town: Town | None) -> dict[str, Any]:
        session: dict[str, Any] = {"start": start.isoformat(), "end": (start + timedelta(days=56)).isoformat()}
        if town is None:
            session["online"] = True
        else:
            session["location"] = {"postcode": town.postcode, "municipality": town.name, "country": "BE"}
        return session


# ---- judging -------------------------------------------------------------------------------


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class Judge:
    """The grading rules of README.md, applied to one offer for one query's intent."""

    def __init__(self, towns: list[Town], subjects: dict[str, Any]) -> None:
        self.point = {t.postcode: (t.lat, t.lon) for t in towns}
        self.province = {t.postcode: t.province for t in towns}
        self.provinces = {
            "west-vlaanderen": "BE25", "oost-vlaanderen": "BE23", "antwerpen": "BE21", "vlaams-brabant": "BE24",
            "limburg": "BE22", "brussels": "BE10", "brabant-wallon": "BE31", "hainaut": "BE32", "liege": "BE33",
            "luxembourg": "BE34", "namur": "BE35",
        }  # fmt: skip
        self.subjects = subjects

    def places(self, offer: dict[str, Any]) -> list[str]:
        return [s["location"]["postcode"] for s in offer["document"]["sessions"] if s.get("location")]

    def online(self, offer: dict[str, Any]) -> bool:
        return any(s.get("online") for s in offer["document"]["sessions"])

    def near(self, offer: dict[str, Any], postcode: str, radius: float) -> bool:
        return any(distance_km(self.point[p], self.point[postcode]) <= radius for p in self.places(offer))

    def hard(self, offer: dict[str, Any], params: dict[str, Any]) -> int:
        """The highest grade the query's filters allow (0: the citizen filtered it out)."""
        document = offer["document"]
        price = float(document["price"]["amount"])
        starts = [date.fromisoformat(s["start"]) for s in document["sessions"]]
        online = self.online(offer)
        passes = [
            "kind" not in params or document["kind"] in params["kind"].split(","),
            "language" not in params or bool(set(params["language"].split(",")) & set(document["languages"])),
            "price_max" not in params or price <= float(params["price_max"]),
            params.get("free") != "true" or price == 0,
            params.get("online") != "true" or online,
            params.get("online") != "false" or not online,
            "starts_after" not in params or any(d >= date.fromisoformat(params["starts_after"]) for d in starts),
            "starts_before" not in params or any(d <= date.fromisoformat(params["starts_before"]) for d in starts),
        ]
        if not all(passes):
            return 0
        in_place = True
        if "region" in params:
            code = self.provinces.get(params["region"], params["region"])
            in_place = any(self.province[p].startswith(code) for p in self.places(offer))
        if in_place and "near_postcode" in params:
            in_place = self.near(offer, params["near_postcode"], float(params.get("radius_km", 25)))
        if in_place:
            return 3
        return 2 if online else 0  # online offers are reachable from every place (issue 15, point 6)

    def grade(self, offer: dict[str, Any], intent: dict[str, Any]) -> int:
        cap = self.hard(offer, intent.get("params", {}))
        if cap == 0:
            return 0
        subject = offer["subject"]
        tags = set(offer["tags"])
        document = offer["document"]
        if subject in intent["want"]:
            grade = 3
            if intent.get("tags") and not tags & set(intent["tags"]):
                grade = min(grade, intent.get("tagmiss", 2))
            if intent.get("kind") and document["kind"] != intent["kind"]:
                grade = min(grade, 1)
            if not intent.get("anylang") and intent["lang"] not in document["languages"]:
                grade = min(grade, 2)
            if intent.get("free") and float(document["price"]["amount"]) > 0:
                grade = min(grade, 2)
            if "place" in intent and not self.near(offer, intent["place"], 30):
                grade = min(grade, 2 if self.online(offer) else 1)
        elif subject in self.related(intent):
            grade = 1
        else:
            return 0
        return min(grade, cap)

    def related(self, intent: dict[str, Any]) -> set[str]:
        if "rel" in intent:
            return set(intent["rel"])
        return {r for s in intent["want"] for r in self.subjects[s]["related"]} - set(intent["want"])


def queries(offers: list[dict[str, Any]], judge: Judge) -> list[dict[str, Any]]:
    written = tomllib.loads((HERE / "queries.toml").read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for group in written["group"]:
        for item in group["queries"]:
            intent = {"cat": group["cat"], "lang": group.get("lang")} | item
            intent.setdefault("want", [])
            if intent["id"] in seen:
                raise SystemExit(f"query id {intent['id']} is used twice")
            seen.add(intent["id"])
            for subject in [*intent["want"], *intent.get("rel", [])]:
                if subject not in judge.subjects:
                    raise SystemExit(f"{intent['id']}: unknown subject {subject!r}")
            grades = {o["id"]: g for o in offers if (g := judge.grade(o, intent)) > 0}
            expect_none = bool(intent.get("none"))
            relevant = sum(g >= RELEVANT for g in grades.values())
            if expect_none == bool(relevant):
                raise SystemExit(f"{intent['id']} ({intent['q']!r}): {relevant} relevant offers, none={expect_none}")
            params = {"q": intent["q"], "lang": intent["lang"]} | intent.get("params", {})
            out.append(
                {
                    "id": intent["id"],
                    "q": intent["q"],
                    "lang": intent["lang"],
                    "category": intent["cat"],
                    "short": bool(intent.get("short")),
                    "expect_none": expect_none,
                    "params": params,
                    "intent": {k: v for k, v in intent.items() if k not in OWN_KEYS},
                    "judgements": dict(sorted(grades.items())),
                }
            )
    return out


OWN_KEYS = {"id", "q", "lang", "cat", "short", "params"}  # written out on their own, not in "intent"


def lines(items: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=False) + "\n" for item in items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = parser.parse_args()
    writer = OfferWriter()
    offers = writer.offers()
    judged = queries(offers, Judge(writer.towns, writer.subjects))
    files = {HERE / "corpus.jsonl": lines(offers), HERE / "judgements.jsonl": lines(judged)}
    if args.check:
        stale = [p.name for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            sys.exit(f"out of date: {', '.join(stale)} (run benchmarks/relevance/generate.py)")
        return
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    print(f"{len(offers)} offers, {len(judged)} queries", file=sys.stderr)


if __name__ == "__main__":
    main()
