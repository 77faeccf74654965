"""Full addresses as public institutions of Belgium and its neighbours publish them, read into address fields."""

from __future__ import annotations

import pytest

from ila_register.imports.addresses import ParsedAddress, parse_address


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # Belgium: the federal chancellery, VDAB, Le Forem, the Arbeitsamt of the German-speaking Community
        ("Wetstraat 16, 1000 Brussel", "BE", ("1000", "Brussel", "Wetstraat 16")),
        ("Keizerslaan 11, 1000 Brussel, BE", "BE", ("1000", "Brussel", "Keizerslaan 11")),
        ("Boulevard Tirou 104, 6000 Charleroi, Belgique", "BE", ("6000", "Charleroi", "Boulevard Tirou 104")),
        ("Hütte 79, B-4700 Eupen", "BE", ("4700", "Eupen", "Hütte 79")),
        # France: the Élysée, France Travail, Lille's town hall (with its CS box and CEDEX)
        ("55 rue du Faubourg Saint-Honoré, 75008 Paris", "FR", ("75008", "Paris", "55 rue du Faubourg Saint-Honoré")),
        ("1 avenue du Docteur Gley, 75020 Paris, France", "FR", ("75020", "Paris", "1 avenue du Docteur Gley")),
        (
            "Hôtel de Ville, Place Augustin Laurent, CS 30667, 59033 Lille Cedex",
            "FR",
            ("59033", "Lille Cedex", "Hôtel de Ville, Place Augustin Laurent, CS 30667"),
        ),
        # The Netherlands: Rotterdam's town hall, UWV, the House of Representatives' post box, Maastricht
        ("Coolsingel 40, 3011 AD Rotterdam", "NL", ("3011 AD", "Rotterdam", "Coolsingel 40")),
        ("La Guardiaweg 116, 1043DL Amsterdam", "NL", ("1043 DL", "Amsterdam", "La Guardiaweg 116")),
        ("Postbus 20018, 2500 EA Den Haag, Nederland", "NL", ("2500 EA", "Den Haag", "Postbus 20018")),
        ("Mosae Forum 10, 6211 DW Maastricht", "NL", ("6211 DW", "Maastricht", "Mosae Forum 10")),
        # Germany: the Bundestag, the Bundesagentur für Arbeit, Aachen's town hall
        ("Platz der Republik 1, 11011 Berlin", "DE", ("11011", "Berlin", "Platz der Republik 1")),
        ("Regensburger Straße 104, 90478 Nürnberg", "DE", ("90478", "Nürnberg", "Regensburger Straße 104")),
        ("Rathaus, Markt, D-52062 Aachen, Deutschland", "DE", ("52062", "Aachen", "Rathaus, Markt")),
        # Luxembourg: the Chamber of Deputies, ADEM, Esch-sur-Alzette, the city's town hall (4 digits)
        (
            "23, rue du Marché-aux-Herbes, L-1728 Luxembourg",
            "LU",
            ("L-1728", "Luxembourg", "23, rue du Marché-aux-Herbes"),
        ),
        ("10, rue Bender, L-1229 Luxembourg, Luxembourg", "LU", ("L-1229", "Luxembourg", "10, rue Bender")),
        (
            "Place de l'Hôtel de Ville, L-4138 Esch-sur-Alzette",
            "LU",
            ("L-4138", "Esch-sur-Alzette", "Place de l'Hôtel de Ville"),
        ),
        ("2, place Guillaume II, 1648 Luxembourg", "LU", ("L-1648", "Luxembourg", "2, place Guillaume II")),
    ],
)
def test_addresses_of_belgium_and_its_neighbours(text: str, country: str, expected: tuple[str, str, str]) -> None:
    postcode, municipality, street = expected

    assert parse_address(text, country) == ParsedAddress(postcode, municipality, street, country)


def test_without_a_country_the_postcode_format_says_which() -> None:
    dutch = parse_address("Coolsingel 40, 3011 AD Rotterdam", None)
    belgian = parse_address("Grote Markt 1, 8660 De Panne", None)

    assert dutch is not None
    assert (dutch.country, dutch.postcode) == ("NL", "3011 AD")
    assert belgian is not None
    assert (belgian.country, belgian.postcode, belgian.municipality) == ("BE", "8660", "De Panne")


@pytest.mark.parametrize("text", ["", "Rue de la Loi", "Paris, France", "12345"])
def test_a_line_without_postcode_and_place_is_not_read(text: str) -> None:
    assert parse_address(text, "FR") is None
