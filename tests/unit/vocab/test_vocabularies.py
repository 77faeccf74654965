"""Controlled lists are data, checked at start-up against themselves and the official ELM lists."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ila_register.eligibility.schemes import load_schemes
from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary
from support import ELM, ROOT


def test_every_list_loads_with_labels_in_four_languages(vocabulary: Vocabulary) -> None:
    for code_list in vocabulary:
        assert len(code_list) > 0
        for term in code_list:
            assert term.labels.get("en"), (code_list.name, term.code)
    assert vocabulary["isced-f"]["0411"].uri == "http://data.europa.eu/snb/isced-f/0411"
    assert vocabulary["modes"]["blended"].uri == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"


def test_official_uris_exist_in_the_commission_code_lists(vocabulary: Vocabulary) -> None:
    for name, info in vocabulary.info.items():
        if not info.source:
            continue
        official = set(re.findall(r'value="([^"]+)"', (ELM / "xsd" / "cv" / Path(info.source).name).read_text()))
        missing = [t.code for t in vocabulary[name] if t.uri and t.uri not in official]
        assert not missing, f"{name}: URIs not in {info.source}: {missing}"


def test_a_broken_vocabulary_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", broken)
    modes = broken / "modes.csv"
    modes.write_text(modes.read_text() + "online,,Online again,,,\n")
    with pytest.raises(VocabError, match=r"modes\.csv:\d+: duplicate code 'online'"):
        Vocabulary.load(broken)


def test_a_broken_scheme_stops_start_up(tmp_path: Path, vocabulary: Vocabulary) -> None:
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "vocab" / "schemes", schemes)
    path = schemes / "be-vl-opleidingscheques.toml"
    path.write_text(path.read_text().replace('type = "min-hours"', 'type = "minimum-hourz"'))
    with pytest.raises(VocabError, match=r"be-vl-opleidingscheques\.toml: rule 'minimum-hours': unknown type"):
        load_schemes(schemes, vocabulary)
