"""The demo's data files: they load, a broken one is named with its entry, and the rules engine decides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ila_register.demo.data import DATA_DIR, DemoDataError, load_library
from ila_register.demo.generator import DemoData, generate_demo
from ila_register.vocab.lists import VocabError

ROOT = Path(__file__).resolve().parents[3]


def test_the_data_files_load_with_every_region_and_language() -> None:
    library = load_library(DATA_DIR, ROOT / "vocab")
    assert len(library.providers) == 29
    assert {seed.region for seed in library.providers} == {"vl", "wal", "bru", "dg", "FR", "NL"}
    assert {lang for seed in library.providers for lang in seed.languages} == {"nl", "fr", "de", "en"}
    assert len(library.subjects) >= 40
    assert any(subject.hobby for subject in library.subjects.values())
    assert set(library.streets) == {"nl", "fr", "de"}


def test_the_data_files_are_package_data() -> None:
    """Hatchling ships every file inside src/ila_register in the wheel: the data lives there."""
    package = ROOT / "src" / "ila_register"
    assert DATA_DIR.is_relative_to(package)
    assert {p.suffix for p in DATA_DIR.iterdir()} <= {".toml", ".csv", ".md"}


BROKEN = [
    # (file, text to replace, replacement, what the message must name)
    (
        "providers.toml",
        '"bookkeeping", "vat"',
        '"bookkeping", "vat"',
        ["providers.toml", "provider 1 (KA)", "bookkeping"],
    ),
    ("providers.toml", 'label = "iso-29993"', 'label = "iso-2999"', ["providers.toml", "provider 1 (KA)", "iso-2999"]),
    ("providers.toml", 'postcode = "8400"', 'postcode = "8401"', ["providers.toml", "provider 1 (KA)", "8401"]),
    ("providers.toml", "mix = { training = 8,", "mix = { training = -8,", ["providers.toml", "(KA)", "mix.training"]),
    ("subjects.toml", "eqf = [4, 5]", 'eqf = ["4", 5]', ["subjects.toml", "[bookkeeping]", "eqf"]),
    ("subjects.toml", "online = true", "onlin = true", ["subjects.toml", "[bookkeeping]", "onlin"]),
    ("subjects.toml", 'isced = "0411"', 'isced = "0498"', ["subjects.toml", "[bookkeeping]", "0498"]),
    ("subjects.toml", 'en = "Bookkeeping for SMEs"\n', "", ["subjects.toml", "[bookkeeping]", "title", "en"]),
    ("texts.toml", '"{title} (basis)"', '"{titel} (basis)"', ["texts.toml", "[variants.basics] nl", "titel"]),
    ("requests.toml", "be-vl-evc = 1.0", "be-vl-evx = 1.0", ["requests.toml", "[vl.validation]", "be-vl-evx"]),
    ("requests.toml", "[wal.validation]", "[wal.validations]", ["requests.toml", "[wal]", "validations"]),
    ("reviews.toml", "reject = 0.03", "reject = 3", ["reviews.toml", "reject"]),
    ("towns.csv", "8400,35013,51.2253", "8400,35013,north", ["towns.csv", "line 2 (8400)", "lat"]),
    ("towns.csv", "8400,35013,", "8400,35014,", ["towns.csv", "postcode 8400", "35014"]),
    ("streets.csv", "de,Hauptstraße", "dk,Hauptstraße", ["streets.csv", "line", "dk"]),
    ("guidance.toml", 'code = "HER45"', 'kode = "HER45"', ["guidance.toml", "kode"]),
    ("providers.toml", "[[provider]]\n", "[[provider]\n", ["providers.toml", "not valid TOML"]),
]


@pytest.mark.parametrize(("file", "old", "new", "named"), BROKEN, ids=[f"{b[0]}:{b[2][:20]}" for b in BROKEN])
def test_a_broken_data_file_is_named_with_its_entry(
    tmp_path: Path, file: str, old: str, new: str, named: list[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    text = (data / file).read_text(encoding="utf-8")
    assert old in text
    (data / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DemoDataError) as raised:
        generate_demo(data_dir=data, vocab_dir=ROOT / "vocab")
    message = str(raised.value)
    for part in named:
        assert part in message, message
    assert isinstance(raised.value, VocabError)  # the CLI prints it as one line: "configuration data is broken"


def test_a_missing_data_file_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "reviews.toml").unlink()
    with pytest.raises(DemoDataError, match=r"reviews\.toml: cannot be read"):
        generate_demo(data_dir=data, vocab_dir=ROOT / "vocab")


def test_the_outcomes_come_from_the_registers_rules_engine(tmp_path: Path) -> None:
    """A new version of a rule in a scheme file changes the demo's decisions, with no code change."""
    vocab = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", vocab)
    scheme_file = vocab / "schemes" / "be-fed-opleidingsrecht.toml"
    scheme_file.write_text(
        scheme_file.read_text(encoding="utf-8")
        + """
[[rules]]
id = "minimum-hours"
version = 2
effective = 2026-01-01
type = "min-hours"
hours = 40
[rules.explanation]
nl = "Het aanbod omvat minstens {hours} uur (nieuw)."
fr = "L'offre comporte au moins {hours} heures (nouveau)."
de = "Das Angebot umfasst mindestens {hours} Stunden (neu)."
en = "The offer comprises at least {hours} hours (new)."
""",
        encoding="utf-8",
    )
    before = generate_demo(vocab_dir=ROOT / "vocab")
    after = generate_demo(vocab_dir=vocab)
    short = [
        (provider.document, offer)
        for provider in after.providers
        for offer in provider.offers
        if "be-fed-opleidingsrecht" in offer.decisions and offer.document["duration_hours"] < 40
    ]
    assert short
    for _provider, offer in short:
        outcome, reason = offer.decisions["be-fed-opleidingsrecht"]
        assert outcome == "rejected"
        assert reason is not None
        assert "40" in reason
        assert any(word in reason for word in ("(nieuw)", "(nouveau)", "(neu)", "(new)"))

    def requests(demo: DemoData) -> int:
        return sum(
            "be-fed-opleidingsrecht" in o.document["schemes_requested"] for p in demo.providers for o in p.offers
        )

    # Providers mostly request the schemes their offers fit: the stricter rule has fewer takers.
    assert requests(after) < requests(before)
