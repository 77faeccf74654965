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
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from ila_register.elm.loq_xml import NOTE_SUBJECTS
from ila_register.elm.views import FIELD_UNKNOWN
from ila_register.imports.addresses import parse_address
from ila_register.imports.records import FileProblem, SourceRecord
from ila_register.vocab.registry import Vocabulary

LOQ = "http://data.europa.eu/snb/model/ap/loq-constraints/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DC = "http://purl.org/dc/terms/"
CLV = "http://data.europa.eu/m8g/"
LOCN = "http://www.w3.org/ns/locn#"
NS = {"l": LOQ, "skos": SKOS, "dc": DC, "clv": CLV, "locn": LOCN}
# The register's own concepts ({base}/id/concept/{list}/{code}), for codes without an official one.
_REGISTER_CONCEPT = re.compile(r"/id/concept/(?P<list>[a-z0-9-]+)/(?P<code>[^/]+)$")
_PARSER = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_HOURS = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:\d+(?:\.\d+)?S)?)?$")
# What a part of a learning opportunity says as one of its sessions, or as a repeat of the whole.
_SESSION = {
    "title",
    "type",
    "mode",
    "homepage",
    "temporal",
    "applicationDeadline",
    "additionalNote",
    "priceDetail",
    "providedBy",
    "location",
    "learningAchievementSpecification",
    "isPartOf",
    "defaultLanguage",
}
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
    "additionalNote",
    "hasPart",
}


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _is_record(element: etree._Element) -> bool:
    """A learning opportunity of the file's list that is no part of another: a part is one of its sessions."""
    parent = element.getparent()
    return (
        parent is not None
        and _local(parent.tag) == "learningOpportunityReferences"
        and element.find("l:isPartOf", NS) is None
    )


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
    part_of = f"{{{LOQ}}}isPartOf"
    is_part = False  # the opportunity being read is part of another (its children are released as read)
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
                if tag == part_of and element.getparent() is not None and element.getparent().tag == opportunity:
                    is_part = True
                elif tag == opportunity:
                    parent = element.getparent()
                    if parent is not None and _local(parent.tag) == "learningOpportunityReferences" and not is_part:
                        count += 1
                    is_part = False
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
    """Reads LOQ XML into offer documents, using the vocabularies to turn official URIs into codes.

    The register's own concepts ({base}/id/concept/{list}/{code}) give back the codes that have no
    official concept (or share one), and the notes its export adds (loq-notes: capacity, micro-credential,
    entry requirements in every language) what LOQ has no element for.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.codes: dict[str, dict[str, str]] = {}
        self.uris: dict[str, dict[str, str]] = {}
        self.lists: dict[str, set[str]] = {}
        for code_list in vocabulary:
            by_uri: dict[str, str] = {}
            for term in code_list:
                if term.uri and (term.uri not in by_uri or term.is_official):  # the code that *is* it
                    by_uri[term.uri] = term.code
            self.codes[code_list.name] = by_uri
            self.uris[code_list.name] = {term.code: term.uri for term in code_list if term.uri}
            self.lists[code_list.name] = {term.code for term in code_list}

    def code(self, list_name: str, uri: str | None) -> str | None:
        return self.codes[list_name].get(uri or "")

    def register_code(self, list_name: str, uri: str | None) -> str | None:
        """The code of one of the register's own concepts of ``list_name``, or None."""
        match = _REGISTER_CONCEPT.search(uri or "")
        if match is None or match.group("list") != list_name or match.group("code") not in self.lists[list_name]:
            return None
        return match.group("code")

    @staticmethod
    def about(uri: str | None) -> str | None:
        """What a note of the register's export is about (capacity, micro-credential ...), or None."""
        match = _REGISTER_CONCEPT.search(uri or "")
        return match.group("code") if match is not None and match.group("list") == NOTE_SUBJECTS else None

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
            for name in (
                "learningAchievementSpecification",
                "qualification",
                "learningOutcome",
                "location",
                "learningOpportunity",
            )
        }
        with path.open("rb") as stream:
            for _event, element in etree.iterparse(stream, events=("end",), tag=list(wanted), **_PARSER):
                kind = wanted[element.tag]
                parent = element.getparent()
                if element.get("id") is None or parent is None or not _local(parent.tag).endswith("References"):
                    continue
                if kind == "learningOpportunity":
                    if _is_record(element):
                        continue  # read in the second pass
                    body = self._part(element)
                elif kind in {"learningAchievementSpecification", "qualification"}:
                    body = self._specification(element)
                elif kind == "learningOutcome":
                    body = self._outcome(element)
                else:
                    body = self._location(element)
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
        notes = _notes(element)
        requirements = _texts(entry, "noteLiteral") if entry is not None else {}
        for subject, text, language in notes:  # the register's export: every language in a note of its own
            if self.about(subject) == "entry-requirements" and text and language:
                requirements[language] = text
        return {
            "title": _texts(element, "title"),
            "isced": _uris(element, "ISCEDFCode"),
            "eqf": int(eqf[0]) if eqf and eqf[0].isdigit() else None,
            "languages": _uris(element, "language"),
            "volume": (element.findtext("l:volumeOfLearning", namespaces=NS) or "").strip(),
            "credits": credit.text.strip() if credit is not None and credit.text else None,
            "target_groups": _uris(element, "targetGroup"),
            "types": _uris(element, "type"),
            "notes": notes,
            "entry": requirements,
            "outcomes": _idrefs(element, "learningOutcome"),
            "assessed": bool(_idrefs(element, "provenBy")),
        }

    def _part(self, element: etree._Element) -> dict[str, Any]:
        """A learning opportunity that is part of another: one of its sessions."""
        return {
            "start": (element.findtext("l:temporal/l:startDate", namespaces=NS) or "")[:10],
            "end": (element.findtext("l:temporal/l:endDate", namespaces=NS) or "")[:10],
            "deadlines": sorted(
                (d.text or "")[:10] for d in element.findall("l:applicationDeadline", NS) if (d.text or "").strip()
            ),
            "locations": _idrefs(element, "location"),
            "notes": _notes(element),
            "prices": _amounts(element),
            "title": _texts(element, "title"),
            "modes": _uris(element, "mode"),
            "other": sorted(
                {_local(c.tag) for c in element if isinstance(c.tag, str) and _local(c.tag) not in _SESSION}
            ),
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
        geometry = element.find("locn:geometry", NS)
        point = None
        if geometry is not None:
            try:
                point = [
                    float(geometry.findtext("clv:latitude", namespaces=NS) or ""),
                    float(geometry.findtext("clv:longitude", namespaces=NS) or ""),
                ]
            except ValueError:
                point = None
        return {
            "name": _texts(element, "geographicName"),
            "full": next(iter(_texts(full, "noteLiteral").values()), "") if full is not None else "",
            "country": self.code("countries", country.get("uri")) if country is not None else None,
            "nuts": [u.rsplit("/", 1)[-1] for u in _uris(element, "spatialCode") if "/nuts/code/BE" in u],
            "point": point,
        }

    def _lookup(self, index: sqlite3.Connection, ref: str) -> dict[str, Any] | None:
        row = index.execute("SELECT body FROM entity WHERE id = ?", (ref,)).fetchone()
        return json.loads(row[0]) if row else None

    def _opportunities(self, path: Path, index: sqlite3.Connection) -> Iterator[SourceRecord]:
        number = 0
        tag = f"{{{LOQ}}}learningOpportunity"
        with path.open("rb") as stream:
            for _event, element in etree.iterparse(stream, events=("end",), tag=tag, **_PARSER):
                if not _is_record(element):
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
            notes.append("learning_opportunity_type, mode: only the first type and mode are kept")
        schedule = self.coded(_uris(element, "learningSchedule"), "schedules", "/schedule", record, required=False)
        homepage = _homepage(element)
        spec = self._first_specification(element, index, notes)
        outcomes, skills = self._outcomes(index, spec)
        languages = self.coded(spec.get("languages", []), "languages", "/languages", record, required=not default)
        hours = _hours_of(spec, record)
        kind = self._kind(element, spec, notes)
        parts = [p for ref in _idrefs(element, "hasPart") if (p := self._lookup(index, ref))]
        document: dict[str, Any] = {
            "reference": reference.strip()[:100],
            "kind": kind,
            "title": title,
            "description": _texts(element, "description") or title,
            "default_language": default or next(iter(title), ""),
            "languages": languages or ([default] if default else []),
            "homepage": homepage or "",
            "learning_opportunity_type": types[0] if types else "",
            "mode": modes[0] if modes else "",
            "learning_outcomes": outcomes,
            "esco_skills": list(dict.fromkeys(skills)),
            "target_groups": self._target_groups(spec, record),
            "duration_hours": hours,
            "price": self._price(element, parts, notes),
            "sessions": self._sessions(element, parts, index, record),
            "schemes_requested": [],
        }
        self._add_optional(document, spec, schedule, record)
        credential = self._credential(spec, title, record)
        if credential is not None:
            document["credential"] = credential
        if element.find("l:grant", NS) is not None:
            notes.append("schemes_requested: grants are not read, the register decides which schemes fund an offer")
        notes.append("the provider is the importing provider (providedBy is not read)")
        return document

    def _kind(self, element: etree._Element, spec: Mapping[str, Any], notes: list[str]) -> str:
        """The offer's kind: the register's concept in a note, else what the file shows (an assessment: validation)."""
        kinds = []
        for subject, text, _language in _notes(element):
            code = self.register_code("offer-kinds", subject)
            if code is not None:
                kinds.append(code)
            else:
                notes.append(f"additionalNote {text!r} is not read")
        if kinds:
            if len(set(kinds)) > 1:
                notes.append(f"kind: the file names several ({', '.join(kinds)}), the first is kept")
            return kinds[0]
        kind = "validation" if spec.get("assessed") else "training"
        notes.append(f"kind: not given in the file, imported as {kind}")
        return kind

    def _target_groups(self, spec: Mapping[str, Any], record: SourceRecord) -> list[str]:
        """The register's target groups (its concepts in notes), and the official ones no such note covers."""
        own: list[str] = []
        for subject, text, _language in spec.get("notes", []):
            # The register's concept, or an official one its export names because the code is it.
            code = self.register_code("target-groups", subject) or self.code("target-groups", subject)
            if code is not None:
                own.append(code)
            elif self.about(subject) not in {"micro-credential", "entry-requirements"}:
                record.notes.append(f"additionalNote {text!r} of the specification is not read")
        covered = {self.uris["target-groups"].get(code) for code in own}
        official = [u for u in spec.get("target_groups", []) if u not in covered]
        return list(
            dict.fromkeys(own + self.coded(official, "target-groups", "/target_groups", record, required=False))
        )

    def _credential(
        self, spec: Mapping[str, Any], title: Mapping[str, str], record: SourceRecord
    ) -> dict[str, Any] | None:
        """The credential the specification describes: its type (the register's concept first), name, and
        whether it is a micro-credential; none when the specification is only the offer itself."""
        types = spec.get("types", [])
        own = [c for u in types if (c := self.register_code("credential-types", u))]
        official = [c for u in types if (c := self.code("credential-types", u))]
        micro = any(self.about(subject) == "micro-credential" for subject, _t, _l in spec.get("notes", []))
        name = spec.get("title") or {}
        if not (own or official or micro or (name and name != dict(title))):
            return None
        credential: dict[str, Any] = {"name": name or dict(title), "micro_credential": micro}
        if own or official:
            credential["type"] = (own or official)[0]
        unknown = [
            uri.rsplit("/", 1)[-1]
            for uri in types
            if not self.register_code("credential-types", uri) and not self.code("credential-types", uri)
        ]
        if unknown:
            record.notes.append(f"credential.type: {', '.join(unknown)} not in the register's list, ignored")
        return credential

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
        fields = self.coded(spec.get("isced", []), "isced-f", "/isced_f", record, required=False)
        if FIELD_UNKNOWN in fields:  # what LOQ XML, which requires a field, says when none was given
            record.notes.append(f"isced_f: {FIELD_UNKNOWN} (field unknown) is read as no field given")
            fields = [f for f in fields if f != FIELD_UNKNOWN]
        for key, value in (
            ("schedule", schedule[0] if schedule else None),
            ("isced_f", fields[0] if fields else None),
            ("eqf_level", spec.get("eqf")),
            ("entry_requirements", spec.get("entry") or None),
        ):
            if value is not None:
                document[key] = value
        if spec.get("credits"):
            try:
                document["credits_ects"] = float(spec["credits"])
            except ValueError:
                record.notes.append(f"credits_ects: {spec['credits']!r} is not a number")

    @staticmethod
    def _price(element: etree._Element, parts: Sequence[Mapping[str, Any]], notes: list[str]) -> dict[str, Any]:
        """The offer's price: its first; the others are its sessions' (each on its part too), or named."""
        prices = _amounts(element)
        if not prices:
            notes.append("price: no price given, imported as free")
            return {"amount": "0.00", "currency": "EUR"}
        of_parts = [price for part in parts for price in part["prices"][:1]]
        others = [p for p in prices[1:] if p not in of_parts]
        if others:
            notes.append(f"price: {len(prices)} prices given, the first is the offer's price")
        return prices[0]

    def _sessions(
        self,
        element: etree._Element,
        parts: Sequence[Mapping[str, Any]],
        index: sqlite3.Connection,
        record: SourceRecord,
    ) -> list[dict[str, Any]]:
        """Its parts, each a session with its own dates, deadline and place; else the one period it gives."""
        if not parts:
            return self._one_session(element, index, record)
        self._whole_against_parts(element, parts, record)
        title = _texts(element, "title")
        return [s for n, part in enumerate(parts) if (s := self._session(part, n, title, index, record)) is not None]

    def _session(
        self,
        part: Mapping[str, Any],
        number: int,
        title: Mapping[str, str],
        index: sqlite3.Connection,
        record: SourceRecord,
    ) -> dict[str, Any] | None:
        """One part as a session: its dates, deadline, capacity, price, place; what else it says, in notes."""
        which = f"part {number + 1}"
        if part["other"]:
            record.notes.append(f"sessions: {', '.join(part['other'])} of {which} not read")
        if not _derived(part["title"], title):
            record.notes.append(f"sessions: the title of {which} is not read (a session has none)")
        if not part["start"]:
            record.notes.append(f"sessions: {which} has no start date and is not read")
            return None
        session: dict[str, Any] = {"start": part["start"], "end": part["end"] or part["start"]}
        if part["deadlines"]:
            session["enrolment_deadline"] = part["deadlines"][0]
            if len(part["deadlines"]) > 1:
                record.notes.append(f"sessions: {which} has several deadlines, the first is kept")
        for subject, text, _language in part["notes"]:
            capacity = re.search(r"\d+", text) if self.about(subject) == "capacity" else None
            if capacity is not None:
                session["capacity"] = int(capacity.group())
            else:
                record.notes.append(f"sessions: additionalNote {text!r} of {which} is not read")
        if part["prices"]:
            session["price"] = part["prices"][0]
            if len(part["prices"]) > 1:
                record.notes.append(f"sessions: {which} has several prices, the first is kept")
        places = [p for ref in part["locations"] if (p := self._lookup(index, ref))]
        self._place(session, places, f"/sessions/{number}", record)
        if "online" in {self.code("modes", uri) for uri in part["modes"]}:
            session["online"] = True
        return session

    @staticmethod
    def _whole_against_parts(element: etree._Element, parts: Sequence[Mapping[str, Any]], record: SourceRecord) -> None:
        """The whole's own period, deadlines and places are its parts' (sessions'); say where they are not."""
        start = (element.findtext("l:temporal/l:startDate", namespaces=NS) or "")[:10]
        end = (element.findtext("l:temporal/l:endDate", namespaces=NS) or "")[:10]
        starts = [p["start"] for p in parts if p["start"]]
        ends = [p["end"] or p["start"] for p in parts if p["start"]]
        if (start and start != min(starts, default="")) or (end and end != max(ends, default="")):
            record.notes.append(f"sessions: the period {start}/{end} is not read, the parts are the sessions")
        deadlines = {(d.text or "")[:10] for d in element.findall("l:applicationDeadline", NS)}
        unread = deadlines - {d for p in parts for d in p["deadlines"]} - {""}
        if unread:
            record.notes.append(f"sessions: applicationDeadline {', '.join(sorted(unread))} of no part, not read")
        places = set(_idrefs(element, "location")) - {ref for p in parts for ref in p["locations"]}
        if places:
            record.notes.append(f"sessions: {len(places)} location(s) of no part, not read")

    def _one_session(
        self, element: etree._Element, index: sqlite3.Connection, record: SourceRecord
    ) -> list[dict[str, Any]]:
        notes = record.notes
        start = (element.findtext("l:temporal/l:startDate", namespaces=NS) or "")[:10]
        end = (element.findtext("l:temporal/l:endDate", namespaces=NS) or "")[:10] or start
        deadline = (element.findtext("l:applicationDeadline", namespaces=NS) or "")[:10]
        if not start:
            notes.append("sessions: no dates, imported without sessions")
            return []
        places = [p for ref in _idrefs(element, "location") if (p := self._lookup(index, ref))]
        session: dict[str, Any] = {"start": start, "end": end}
        if deadline:
            session["enrolment_deadline"] = deadline
        self._place(session, places, "/sessions/0", record)
        return [session]

    @staticmethod
    def _place(
        session: dict[str, Any], places: Sequence[Mapping[str, Any]], pointer: str, record: SourceRecord
    ) -> None:
        """A session's place (the first of those given); online when it has none."""
        session["online"] = not places
        if not places:
            return
        if len(places) > 1:
            record.notes.append(
                f"sessions: {len(places)} locations given for session {pointer[10:]}, the first is kept"
            )
        location = _address(places[0])
        if location is None:
            where = places[0].get("full") or next(iter(places[0].get("name", {}).values()), "")
            record.problems.append(
                (
                    f"{pointer}/location",
                    f"the address {where!r} has no postcode and municipality the register can read",
                )
            )
            return
        session["location"] = location


def _derived(title: Mapping[str, str], whole: Mapping[str, str]) -> bool:
    """A part's title is the whole's (or made from it, with the session's dates) in each language."""
    return all(text.startswith(whole.get(language, "\0")) for language, text in title.items())


def _amounts(element: etree._Element) -> list[dict[str, str]]:
    """The prices (priceDetail with an amount) of an opportunity, as the register's price fields."""
    prices = []
    for amount in element.findall("l:priceDetail/l:amount", NS):
        unit = amount.find("l:unit", NS)
        currency = (unit.get("uri") or "").rsplit("/", 1)[-1] if unit is not None else "EUR"
        prices.append({"amount": (amount.findtext("l:value", namespaces=NS) or "0").strip(), "currency": currency})
    return prices


def _notes(element: etree._Element) -> list[tuple[str | None, str, str]]:
    """The element's additional notes: the concept each is about (dc:subject), its text and language."""
    found = []
    for note in element.findall("l:additionalNote", NS):
        subject = note.find("dc:subject", NS)
        literal = note.find("l:noteLiteral", NS)
        text = (literal.text or "").strip() if literal is not None else ""
        language = (literal.get("language") or "").lower()[:2] if literal is not None else ""
        found.append((subject.get("uri") if subject is not None else None, text, language))
    return found


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


def _address(place: Mapping[str, Any]) -> dict[str, Any] | None:
    """The register's address fields of a LOQ location: its full address read for its country."""
    full = place.get("full") or ""
    country = place.get("country")
    parsed = parse_address(full, country)
    if parsed is None:
        return None
    location: dict[str, Any] = {
        "postcode": parsed.postcode,
        "municipality": parsed.municipality,
        "country": country or parsed.country,
    }
    if parsed.street:
        location["street"] = parsed.street
    nuts = [code for code in place.get("nuts", []) if len(code) == 5]
    if nuts:
        location["nuts3"] = nuts[0]
    if place.get("point"):
        location["lat"], location["lon"] = place["point"]
    return location
