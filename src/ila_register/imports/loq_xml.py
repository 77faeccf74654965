"""ELM LOQ XML (what providers may already send to Europass), read safely and in constant memory.

Safety: no DTD at all (a document declaring one is refused: no external entities, no entity
expansion), no network, libxml2's default depth and size limits (no huge-tree mode).
Memory: learning opportunities refer by ``idref`` to specifications, outcomes and places that
come later in the file, so a first pass files those in a temporary SQLite index and a second
pass reads the opportunities; elements are cleared as soon as they are read.
Mapping: what fits the register's model is read; what does not is named in the record's notes.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from ila_register.imports.records import FileProblem, SourceRecord
from ila_register.vocab.registry import Vocabulary

LOQ = "http://data.europa.eu/snb/model/ap/loq-constraints/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NS = {"l": LOQ, "skos": SKOS}
_PARSER = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_HOURS = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:\d+(?:\.\d+)?S)?)?$")
_POSTCODE = re.compile(r"\b(\d{4})\s+([^\d,][^,]*)")
# What the register reads from a learning opportunity; every other child is reported as ignored.
_READ = {
    "identifier",
    "title",
    "description",
    "type",
    "homepage",
    "temporal",
    "mode",
    "grant",
    "learningSchedule",
    "applicationDeadline",
    "priceDetail",
    "providedBy",
    "location",
    "learningAchievementSpecification",
    "defaultLanguage",
}


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _release(element: etree._Element) -> None:
    """Free a read element and the (already read) siblings before it: memory stays flat in file size."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


ROOT = f"{{{LOQ}}}Courses"
_XINCLUDE = ("{http://www.w3.org/2001/XInclude}", "{http://www.w3.org/2003/XInclude}")
# Encodings a LOQ file may declare. Others (UTF-7 above all) let markup hide in plain text.
_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii", "iso-8859-1", "latin-1"}
_DECLARED = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")


def check_safe(path: Path) -> int:
    """Refuse unsafe, malformed or foreign XML before anything is read; returns the number of opportunities.

    A LOQ file is ``Courses`` in the LOQ namespace, in a Unicode encoding (or Latin-1), without a
    DOCTYPE or XInclude; its opportunities are those the reader reads (in learningOpportunityReferences).
    """
    _check_encoding(path)
    count = 0
    opportunity = f"{{{LOQ}}}learningOpportunity"
    try:
        with path.open("rb") as stream:
            for event, element in etree.iterparse(stream, events=("start", "end"), **_PARSER):
                tag = element.tag if isinstance(element.tag, str) else ""
                if event == "start":
                    if element.getparent() is None:
                        if element.getroottree().docinfo.doctype:
                            raise FileProblem("a DOCTYPE is not accepted (no DTDs, no entities): send plain LOQ XML")
                        if tag != ROOT:
                            raise FileProblem(
                                f"the root element is {_shown(tag)}, not Courses in the ELM LOQ namespace {LOQ}: "
                                "send a LOQ file as Europass takes it"
                            )
                    if tag.startswith(_XINCLUDE):
                        raise FileProblem("XInclude is not accepted: send the whole file, nothing included")
                    continue
                if tag == opportunity:
                    parent = element.getparent()
                    if parent is not None and _local(parent.tag) == "learningOpportunityReferences":
                        count += 1
                _release(element)
    except etree.XMLSyntaxError as error:
        raise FileProblem(f"the file is not well-formed XML the register accepts ({error})") from None
    return count


def _check_encoding(path: Path) -> None:
    with path.open("rb") as stream:
        start = stream.read(1024)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with its byte order mark
    declared = _DECLARED.match(start.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii", "replace").lower() not in _ENCODINGS:
        name = declared.group(1).decode("ascii", "replace")[:40]
        raise FileProblem(f"the encoding {name!r} is not accepted: send the file as UTF-8")


def _shown(tag: str) -> str:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return f"{local} (namespace {namespace})" if namespace else f"{local or 'unnamed'} (no namespace)"


def _texts(element: etree._Element, name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for child in element.findall(f"l:{name}", NS):
        language = (child.get("language") or "").lower()[:2]
        if child.text and child.text.strip() and language:
            found.setdefault(language, child.text.strip())
    return found


def _uris(element: etree._Element, name: str) -> list[str]:
    return [uri for child in element.findall(f"l:{name}", NS) if (uri := child.get("uri"))]


def _idrefs(element: etree._Element, name: str) -> list[str]:
    return [ref for child in element.findall(f"l:{name}", NS) if (ref := child.get("idref"))]


def _hours(duration: str | None) -> float | None:
    match = _HOURS.match((duration or "").strip())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (float(g) if g else 0.0 for g in match.groups())
    return days * 24 + hours + minutes / 60


class LoqReader:
    """Reads LOQ XML into offer documents, using the vocabularies to turn official URIs into codes."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.codes: dict[str, dict[str, str]] = {}
        for code_list in vocabulary:
            by_uri: dict[str, str] = {}
            for term in code_list:
                if term.uri and (term.uri not in by_uri or not term.extra.get("status")):
                    by_uri[term.uri] = term.code
            self.codes[code_list.name] = by_uri

    def code(self, list_name: str, uri: str | None) -> str | None:
        return self.codes[list_name].get(uri or "")

    def coded(
        self, uris: list[str], list_name: str, pointer: str, record: SourceRecord, *, required: bool
    ) -> list[str]:
        """The register's codes for official URIs; unknown ones are named (a problem if none is left)."""
        codes = [c for u in uris if (c := self.code(list_name, u))]
        unknown = ", ".join(u.rsplit("/", 1)[-1] for u in uris if not self.code(list_name, u))
        if unknown and (codes or not required):
            record.notes.append(f"{pointer.lstrip('/')}: {unknown} not in the register's list, ignored")
        elif required and not codes:
            record.problems.append(
                (
                    pointer,
                    f"{unknown} not in the register's list /api/v1/vocab/{list_name}"
                    if unknown
                    else "not given in the file, and the register needs it",
                )
            )
        return list(dict.fromkeys(codes))

    def read(self, path: Path) -> Iterator[SourceRecord]:
        check_safe(path)
        with tempfile.TemporaryDirectory(prefix="ila-loq-") as work:
            index = sqlite3.connect(Path(work) / "index.sqlite3")
            index.execute("CREATE TABLE entity (id TEXT PRIMARY KEY, kind TEXT, body TEXT)")
            self._index(path, index)
            yield from self._opportunities(path, index)
            index.close()

    def _index(self, path: Path, index: sqlite3.Connection) -> None:
        wanted = {
            f"{{{LOQ}}}{name}": name
            for name in ("learningAchievementSpecification", "qualification", "learningOutcome", "location")
        }
        with path.open("rb") as stream:
            for _event, element in etree.iterparse(stream, events=("end",), tag=list(wanted), **_PARSER):
                kind = wanted[element.tag]
                parent = element.getparent()
                if element.get("id") is None or parent is None or not _local(parent.tag).endswith("References"):
                    continue
                body = (
                    self._specification(element)
                    if kind in {"learningAchievementSpecification", "qualification"}
                    else self._outcome(element)
                    if kind == "learningOutcome"
                    else self._location(element)
                )
                index.execute(
                    "INSERT OR REPLACE INTO entity VALUES (?, ?, ?)", (element.get("id"), kind, json.dumps(body))
                )
                _release(element)
        index.commit()

    def _specification(self, element: etree._Element) -> dict[str, Any]:
        eqf = [
            u.rsplit("/", 1)[-1]
            for u in _uris(element, "educationLevel") + _uris(element, "EQFLevel")
            if u.startswith("http://data.europa.eu/snb/eqf/")
        ]
        credit = element.find("l:creditPoint/l:point", NS)
        entry = element.find("l:entryRequirement", NS)
        return {
            "title": _texts(element, "title"),
            "isced": _uris(element, "ISCEDFCode"),
            "eqf": int(eqf[0]) if eqf and eqf[0].isdigit() else None,
            "languages": _uris(element, "language"),
            "volume": (element.findtext("l:volumeOfLearning", namespaces=NS) or "").strip(),
            "credits": credit.text.strip() if credit is not None and credit.text else None,
            "target_groups": _uris(element, "targetGroup"),
            "entry": _texts(entry, "noteLiteral") if entry is not None else {},
            "outcomes": _idrefs(element, "learningOutcome"),
        }

    def _outcome(self, element: etree._Element) -> dict[str, Any]:
        return {
            "title": _texts(element, "title"),
            "skills": [u for u in _uris(element, "relatedESCOSkill") if "/esco/skill/" in u],
        }

    def _location(self, element: etree._Element) -> dict[str, Any]:
        address = element.find("l:address", NS)
        full = address.find("l:fullAddress", NS) if address is not None else None
        country = address.find("l:countryCode", NS) if address is not None else None
        return {
            "name": _texts(element, "geographicName"),
            "full": next(iter(_texts(full, "noteLiteral").values()), "") if full is not None else "",
            "country": self.code("countries", country.get("uri")) if country is not None else None,
            "nuts": [u.rsplit("/", 1)[-1] for u in _uris(element, "spatialCode") if "/nuts/code/BE" in u],
        }

    def _lookup(self, index: sqlite3.Connection, ref: str) -> dict[str, Any] | None:
        row = index.execute("SELECT body FROM entity WHERE id = ?", (ref,)).fetchone()
        return json.loads(row[0]) if row else None

    def _opportunities(self, path: Path, index: sqlite3.Connection) -> Iterator[SourceRecord]:
        number = 0
        tag = f"{{{LOQ}}}learningOpportunity"
        with path.open("rb") as stream:
            for _event, element in etree.iterparse(stream, events=("end",), tag=tag, **_PARSER):
                parent = element.getparent()
                if parent is None or _local(parent.tag) != "learningOpportunityReferences":
                    continue
                number += 1
                identifier = element.get("id") or f"#{number}"
                location = f"/Courses/learningOpportunityReferences/learningOpportunity[{number}] ({identifier})"
                record = SourceRecord(number, location, None)
                record.document = self._document(element, index, record, identifier)
                _release(element)
                yield record

    def _document(
        self, element: etree._Element, index: sqlite3.Connection, record: SourceRecord, identifier: str
    ) -> dict[str, Any]:
        notes = record.notes
        ignored = sorted({_local(c.tag) for c in element if _local(c.tag) not in _READ and isinstance(c.tag, str)})
        if ignored:
            notes.append(f"ignored: {', '.join(ignored)}")
        reference = element.findtext("l:identifier/skos:notation", namespaces=NS) or identifier
        title = _texts(element, "title")
        default_element = element.find("l:defaultLanguage", NS)
        default = self.code("languages", default_element.get("uri") if default_element is not None else None)
        types = self.coded(
            _uris(element, "type"), "learning-opportunity-types", "/learning_opportunity_type", record, required=True
        )
        modes = self.coded(_uris(element, "mode"), "modes", "/mode", record, required=True)
        if len(types) > 1 or len(modes) > 1:
            notes.append("only the first type and mode are kept")
        schedule = self.coded(_uris(element, "learningSchedule"), "schedules", "/schedule", record, required=False)
        homepage = _homepage(element)
        spec = self._first_specification(element, index, notes)
        outcomes, skills = self._outcomes(index, spec)
        languages = self.coded(spec.get("languages", []), "languages", "/languages", record, required=not default)
        hours = _hours_of(spec, record)
        document: dict[str, Any] = {
            "reference": reference.strip()[:100],
            "kind": "training",
            "title": title,
            "description": _texts(element, "description") or title,
            "default_language": default or next(iter(title), ""),
            "languages": languages or ([default] if default else []),
            "homepage": homepage or "",
            "learning_opportunity_type": types[0] if types else "",
            "mode": modes[0] if modes else "",
            "learning_outcomes": outcomes,
            "esco_skills": list(dict.fromkeys(skills)),
            "target_groups": self.coded(
                spec.get("target_groups", []), "target-groups", "/target_groups", record, required=False
            ),
            "duration_hours": hours,
            "price": self._price(element, notes),
            "sessions": self._sessions(element, index, record),
            "schemes_requested": [],
        }
        self._add_optional(document, spec, schedule, record)
        if element.find("l:grant", NS) is not None:
            notes.append("grants are not read: the register decides which schemes fund an offer")
        notes.append("the provider is the importing provider (providedBy is not read)")
        return document

    def _first_specification(
        self, element: etree._Element, index: sqlite3.Connection, notes: list[str]
    ) -> dict[str, Any]:
        specifications = [
            s for ref in _idrefs(element, "learningAchievementSpecification") if (s := self._lookup(index, ref))
        ]
        spec = specifications[0] if specifications else {}
        if not spec:
            notes.append("no learning achievement specification found for it")
        return spec

    def _outcomes(self, index: sqlite3.Connection, spec: Mapping[str, Any]) -> tuple[list[Any], list[Any]]:
        """The learning outcomes' titles and the ESCO skills they name."""
        outcomes, skills = [], []
        for ref in spec.get("outcomes", []):
            if outcome := self._lookup(index, ref):
                if outcome["title"]:
                    outcomes.append(outcome["title"])
                skills += outcome["skills"]
        return outcomes, skills

    def _add_optional(
        self, document: dict[str, Any], spec: Mapping[str, Any], schedule: list[str], record: SourceRecord
    ) -> None:
        """The fields an offer may leave out, set only where the source gives them."""
        for key, value in (
            ("schedule", schedule[0] if schedule else None),
            (
                "isced_f",
                next(iter(self.coded(spec.get("isced", []), "isced-f", "/isced_f", record, required=False)), None),
            ),
            ("eqf_level", spec.get("eqf")),
            ("entry_requirements", spec.get("entry") or None),
        ):
            if value is not None:
                document[key] = value
        if spec.get("credits"):
            try:
                document["credits_ects"] = float(spec["credits"])
            except ValueError:
                record.notes.append(f"credits {spec['credits']!r} are not a number")

    def _price(self, element: etree._Element, notes: list[str]) -> dict[str, Any]:
        for detail in element.findall("l:priceDetail", NS):
            amount = detail.find("l:amount", NS)
            if amount is None:
                continue
            unit = amount.find("l:unit", NS)
            currency = (unit.get("uri") or "").rsplit("/", 1)[-1] if unit is not None else "EUR"
            return {"amount": (amount.findtext("l:value", namespaces=NS) or "0").strip(), "currency": currency}
        notes.append("no price given: imported as free")
        return {"amount": "0.00", "currency": "EUR"}

    def _sessions(
        self, element: etree._Element, index: sqlite3.Connection, record: SourceRecord
    ) -> list[dict[str, Any]]:
        notes = record.notes
        start = (element.findtext("l:temporal/l:startDate", namespaces=NS) or "")[:10]
        end = (element.findtext("l:temporal/l:endDate", namespaces=NS) or "")[:10] or start
        deadline = (element.findtext("l:applicationDeadline", namespaces=NS) or "")[:10]
        if not start:
            notes.append("no dates: imported without sessions")
            return []
        places = [p for ref in _idrefs(element, "location") if (p := self._lookup(index, ref))]
        session: dict[str, Any] = {"start": start, "end": end, "online": not places}
        if deadline:
            session["enrolment_deadline"] = deadline
        if places:
            session["location"] = _address(places[0])
            if not session["location"]["postcode"]:
                where = places[0].get("full") or next(iter(places[0].get("name", {}).values()), "")
                record.problems.append(
                    (
                        "/sessions/0/location",
                        f"the address {where!r} has no postcode and municipality the register can read",
                    )
                )
        sessions = [session]
        if len(places) > 1:
            notes.append("only the first location is kept")
        return sessions


def _homepage(element: etree._Element) -> str | None:
    return next(
        (
            h.findtext("l:contentUrl", namespaces=NS)
            for h in element.findall("l:homepage", NS)
            if h.findtext("l:contentUrl", namespaces=NS)
        ),
        None,
    )


def _hours_of(spec: Mapping[str, Any], record: SourceRecord) -> float | None:
    """The hours of study of a specification's volume of learning (a problem when it has none)."""
    hours = _hours(spec.get("volume"))
    if hours is None:
        record.problems.append(
            (
                "/duration_hours",
                f"volumeOfLearning {spec['volume']} cannot be read as hours of study (write it as e.g. PT40H)"
                if spec.get("volume")
                else "no volumeOfLearning on its specification; the register needs the hours of study",
            )
        )
    return hours


def _address(place: Mapping[str, Any]) -> dict[str, Any]:
    match = _POSTCODE.search(place.get("full") or "")
    municipality = match.group(2).strip() if match else next(iter(place.get("name", {}).values()), "")
    location: dict[str, Any] = {
        "postcode": match.group(1) if match else "",
        "municipality": municipality,
        "country": place.get("country") or "BE",
    }
    street = (place.get("full") or "").split(",")[0].strip()
    if street and match and street != match.group(0):
        location["street"] = street
    if place.get("nuts"):
        location["nuts3"] = place["nuts"][0] if len(place["nuts"][0]) == 5 else None
        if location["nuts3"] is None:
            del location["nuts3"]
    return location
