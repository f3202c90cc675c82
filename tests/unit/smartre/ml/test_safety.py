"""Safety screen: each rule fires in every language, answers in the requested one, and stays quiet
on ordinary or negated descriptions."""

import pytest

from chalicelib.ml.safety import VERSION, rule_codes, screen, translations

POSITIVES = [
    ("battery_swollen_or_leaking", "en", "The laptop battery is swollen and the case bulges"),
    ("battery_swollen_or_leaking", "nl", "De accu is opgezwollen, de achterkant staat open"),
    ("battery_swollen_or_leaking", "fr", "La batterie est gonflée et l'écran se soulève"),
    ("battery_swollen_or_leaking", "de", "Der Akku ist aufgebläht"),
    ("battery_swollen_or_leaking", "en", "leaking batteries in the remote"),
    ("burning_smell", "en", "There is a burning smell when I switch it on"),
    ("burning_smell", "nl", "Er komt een brandlucht uit het toestel"),
    ("burning_smell", "fr", "Il y a une odeur de brûlé quand il chauffe"),
    ("burning_smell", "de", "Es gibt einen Brandgeruch beim Einschalten"),
    ("smoke_or_sparks", "en", "Sparks came out of the motor"),
    ("smoke_or_sparks", "nl", "Er kwam rook uit de achterkant"),
    ("smoke_or_sparks", "fr", "De la fumée sort de l'appareil"),
    ("smoke_or_sparks", "de", "Beim Einschalten sprühen Funken"),
    ("damaged_mains_cable", "en", "The power cord is frayed near the plug"),
    ("damaged_mains_cable", "nl", "Het snoer is beschadigd bij de stekker"),
    ("damaged_mains_cable", "fr", "Le câble est abîmé près de la prise"),
    ("damaged_mains_cable", "de", "Das Netzkabel ist beschädigt"),
    ("water_damage_mains", "en", "Water was spilled into the toaster"),
    ("water_damage_mains", "nl", "Er is water gemorst op de versterker"),
    ("water_damage_mains", "fr", "Dégât des eaux, la radio ne marche plus"),
    ("water_damage_mains", "de", "Wasserschaden nach Überschwemmung"),
    ("gas_appliance", "en", "Our gas heater does not ignite"),
    ("gas_appliance", "nl", "Het gasfornuis klikt maar ontsteekt niet"),
    ("gas_appliance", "fr", "La cuisinière au gaz ne s'allume plus"),
    ("gas_appliance", "de", "Der Gasherd zündet nicht"),
    ("microwave_high_voltage", "en", "Microwave turns on but does not heat"),
    ("microwave_high_voltage", "nl", "Magnetron warmt niet meer op"),
    ("microwave_high_voltage", "fr", "Le micro-ondes ne chauffe plus"),
    ("microwave_high_voltage", "de", "Die Mikrowelle heizt nicht"),
]

NEGATIVES = [
    "Radio makes no sound, display works",
    "De lamp gaat niet meer aan",
    "Le grille-pain ne chauffe plus",
    "Der Staubsauger saugt nicht mehr richtig",
    "No smoke, no smell, it just stopped",
    "Geen rook, hij doet gewoon niets meer",
    "Kein Rauch, das Gerät geht einfach nicht an",
    "Pas de fumée, il ne s'allume plus",
    "Smoke detector keeps beeping",
    "The spark plug of the lawnmower is dirty",
    "Zipper of the jacket is broken",
]


@pytest.mark.parametrize(("code", "language", "text"), POSITIVES)
def test_rule_fires_in_each_language(code: str, language: str, text: str) -> None:
    assert code in [w.code for w in screen(text, language)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_and_negated_descriptions_raise_no_warning(text: str) -> None:
    assert screen(text, "en") == []


def test_every_required_rule_exists() -> None:
    assert set(rule_codes()) >= {
        "battery_swollen_or_leaking",
        "burning_smell",
        "smoke_or_sparks",
        "damaged_mains_cable",
        "water_damage_mains",
        "gas_appliance",
        "microwave_high_voltage",
    }


def test_rules_match_text_in_a_language_other_than_the_requested_one() -> None:
    warnings = screen("De accu is opgezwollen", "fr")
    assert [w.code for w in warnings] == ["battery_swollen_or_leaking"]
    assert "batterie" in warnings[0].message.lower()


@pytest.mark.parametrize(
    ("language", "word"),
    [("en", "burning"), ("nl", "brandlucht"), ("fr", "brûlé"), ("de", "Brandgeruch")],
)
def test_message_comes_in_the_requested_language(language: str, word: str) -> None:
    (warning,) = screen("burning smell from the back", language)
    assert word.lower() in warning.message.lower()
    assert warning.advice


def test_unknown_or_missing_language_falls_back_to_english() -> None:
    for language in (None, "da", "xx"):
        (warning,) = screen("the microwave sparks", language)[-1:]
        assert warning.message.startswith("Microwave")


def test_every_warning_has_a_severity_and_advice_in_every_language() -> None:
    text = (
        "swollen battery, burning smell, smoke, frayed power cord, water spilled, gas heater, "
        "microwave"
    )
    for language in ("en", "nl", "fr", "de"):
        warnings = screen(text, language)
        assert len(warnings) == len(rule_codes())
        for warning in warnings:
            assert warning.severity in {"danger", "warning"}
            assert warning.message
            assert warning.advice


def test_empty_text_gives_no_warning() -> None:
    assert screen(None, "en") == []
    assert screen("   ", "nl") == []


def test_version_is_a_string() -> None:
    assert isinstance(VERSION, str)
    assert VERSION


def test_every_rule_has_its_texts_in_every_language_for_a_switch() -> None:
    for code in rule_codes():
        texts = translations(code)

        assert set(texts) == {"en", "nl", "fr", "de"}, code
        assert all(t["message"] and t["advice"] for t in texts.values()), code
    assert translations("no_such_rule") == {}
