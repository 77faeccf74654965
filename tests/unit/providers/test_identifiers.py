"""Belgian enterprise numbers and EU VAT numbers are checked the way the registers define them."""

from __future__ import annotations

import pytest

from ila_register.providers.identifiers import format_kbo, normalise_euid, normalise_kbo, normalise_vat


@pytest.mark.parametrize("written", ["0123.456.749", "0123456749", "BE0123456749", "BE 0123 456 749", "123456749"])
def test_kbo_numbers_in_every_usual_notation(written: str) -> None:
    assert normalise_kbo(written) == "0123456749"
    assert format_kbo("0123456749") == "0123.456.749"


def test_a_wrong_check_digit_is_named() -> None:
    with pytest.raises(ValueError, match="check digits"):
        normalise_kbo("0123.456.748")


@pytest.mark.parametrize("bad", ["2123456749", "01234567", "ABC"])
def test_malformed_kbo_numbers(bad: str) -> None:
    with pytest.raises(ValueError, match="KBO"):
        normalise_kbo(bad)


def test_vat_numbers() -> None:
    assert normalise_vat("FR40303265045", "FR") == "FR40303265045"
    assert normalise_vat("el 123456789", "GR") == "EL123456789"
    with pytest.raises(ValueError, match="does not match the country"):
        normalise_vat("DE123456789", "FR")
    with pytest.raises(ValueError, match="format"):
        normalise_vat("NL12345678901", "NL")
    with pytest.raises(ValueError, match="check digits"):
        normalise_vat("BE0123456748", "BE")


def test_euid() -> None:
    assert normalise_euid("be0201.0123456749") == "BE0201.0123456749"
    with pytest.raises(ValueError, match="EUID"):
        normalise_euid("nonsense")
