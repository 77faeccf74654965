"""Official concepts: their labels come from the official lists; one register code per official concept."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary
from support import ROOT, SHARED


def _build_module():  # type: ignore[no-untyped-def]
    script = ROOT / "scripts" / "build_official_labels.py"
    spec = importlib.util.spec_from_file_location("build_official_labels", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_official_labels_file_is_what_the_official_lists_say() -> None:
    built = _build_module().build(ROOT / "vocab", SHARED.parent)
    assert (ROOT / "vocab" / "official-labels.csv").read_text(encoding="utf-8") == built


def test_two_codes_that_are_both_exactly_one_official_concept_stop_start_up(tmp_path: Path) -> None:
    vocab = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", vocab)
    path = vocab / "credential-types.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",broad\n", ",\n"), encoding="utf-8")
    with pytest.raises(VocabError, match=re.escape("are both exactly http://data.europa.eu/snb/credential/e34929035b")):
        Vocabulary.load(vocab)


def test_a_finer_notion_needs_a_list_that_publishes_register_concepts(tmp_path: Path) -> None:
    vocab = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", vocab)
    manifest = vocab / "lists.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'register_concepts = true\nscheme_title = { en = "Target groups', 'scheme_title = { en = "Target groups', 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(VocabError, match="does not publish register concepts"):
        Vocabulary.load(vocab)
