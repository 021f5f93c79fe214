"""units.py: parsing quantity strings, refused spellings, and conversions against hand values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benchsheet import units
from benchsheet.units import (
    AMBIGUOUS_SPELLINGS,
    Dimension,
    Measured,
    QuantityError,
    absolute_pressure_pa,
    parse_quantity,
)


def parse(text: object, *dims: Dimension) -> Measured:
    return parse_quantity(text, dims)


def error_of(text: object, *dims: Dimension) -> QuantityError:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text, dims)
    return info.value


# --- accepted spellings ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "dim", "value", "unit"),
    [
        ("120 °C", units.TEMPERATURE, "120", "degC"),
        ("120 degC", units.TEMPERATURE, "120", "degC"),
        ("120 ℃", units.TEMPERATURE, "120", "degC"),
        ("10 µL", units.VOLUME, "10", "µL"),  # micro sign U+00B5
        ("10 μL", units.VOLUME, "10", "µL"),  # Greek mu U+03BC
        ("10 uL", units.VOLUME, "10", "µL"),
        ("10 mL", units.VOLUME, "10", "mL"),
        ("10 ml", units.VOLUME, "10", "mL"),
        ("10mL", units.VOLUME, "10", "mL"),
        ("1.50 mmol", units.AMOUNT, "1.50", "mmol"),
        ("20 µg", units.MASS, "20", "µg"),
        ("0.1 M", units.MOLAR_CONCENTRATION, "0.1", "M"),
        ("4 mg/mL", units.MASS_CONCENTRATION, "4", "mg/mL"),
        ("0.789 g/mL", units.DENSITY, "0.789", "g/mL"),
        ("183.32 g/mol", units.MOLAR_MASS, "183.32", "g/mol"),
        ("5 delta_degC", units.TEMPERATURE_DIFFERENCE, "5", "delta_degC"),
        ("24 h", units.DURATION, "24", "h"),
        ("24 hr", units.DURATION, "24", "h"),
        ("20 mL/min", units.FLOW_RATE, "20", "mL/min"),
        ("5000 rpm", units.ROTATIONAL_SPEED, "5000", "rpm"),
        ("4000 x g", units.RCF, "4000", "x g"),
        ("4000 ×g", units.RCF, "4000", "x g"),
        ("350 nm", units.LENGTH, "350", "nm"),
        ("5 %", units.FRACTION, "5", "%"),
        ("5 kJ", units.ENERGY, "5", "kJ"),
        ("1e3 mg", units.MASS, "1E+3", "mg"),
    ],
)
def test_accepted_spelling_parses_to_its_canonical_unit(
    text: str, dim: Dimension, value: str, unit: str
) -> None:
    m = parse(text, dim)
    assert (m.value, m.unit, m.dimension) == (Decimal(value), unit, dim.name)


def test_significant_figures_are_kept_as_written() -> None:
    assert str(parse("1.50 mmol", units.AMOUNT)) == "1.50 mmol"
    assert str(parse("10 uL", units.VOLUME)) == "10 µL"


def test_range_with_hyphen_en_dash_and_to_are_one_range() -> None:
    hyphen = parse("3.8-5.3 mg", units.MASS)
    en_dash = parse("3.8–5.3 mg", units.MASS)
    spelled = parse("3.8 to 5.3 mg", units.MASS)
    assert hyphen == en_dash == spelled
    assert (hyphen.low, hyphen.high) == (Decimal("3.8"), Decimal("5.3"))
    assert hyphen.nominal == Decimal("4.55")  # (3.8 + 5.3) / 2
    assert hyphen.is_range
    assert str(hyphen) == "3.8–5.3 mg"


def test_tolerance_sets_low_and_high_around_the_value() -> None:
    m = parse("1.50 ± 0.01 mmol", units.AMOUNT)
    assert m == parse("1.50 +/- 0.01 mmol", units.AMOUNT)
    assert (m.low, m.nominal, m.high) == (Decimal("1.49"), Decimal("1.50"), Decimal("1.51"))
    assert str(m) == "1.50 ± 0.01 mmol"


def test_bound_and_approximate_are_kept() -> None:
    below = parse("≤ 1 %", units.FRACTION)
    assert below.bound == "<="
    assert str(below) == "<=1 %"
    about = parse("ca. 5 mg", units.MASS)
    assert about.approximate
    assert str(about) == "~5 mg"


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("3 bar gauge", "gauge"), ("3 bar g", "gauge"), ("3 bar(g)", "gauge"),
        ("3 barg", "gauge"), ("3 psig", "gauge"), ("30 kPa abs", "absolute"),
        ("30 kPa absolute", "absolute"), ("1 bara", "absolute"), ("1 atm (a)", "absolute"),
        ("3 bar  gauge", "gauge"),
    ],
)
def test_pressure_states_gauge_or_absolute(text: str, reference: str) -> None:
    assert parse(text, units.PRESSURE).reference == reference


def test_a_field_of_several_dimensions_takes_each() -> None:
    dims = (units.AMOUNT, units.MASS, units.VOLUME)
    assert [parse(t, *dims).dimension for t in ("1 mmol", "1 mg", "1 mL")] == [
        "amount", "mass", "volume"]


def test_fraction_accepts_a_bare_number() -> None:
    assert parse(0.5, units.FRACTION).value == Decimal("0.5")
    assert parse("0.5", units.FRACTION).unit == ""


# --- refused spellings, one per error kind ---------------------------------------------

def test_bare_number_is_refused_with_an_example_unit() -> None:
    err = error_of(10, units.MASS)
    assert err.kind == "bare_number"
    assert "has no unit" in err.message
    assert err.hint == "write it with its unit, e.g. '10 mg'"
    assert error_of("10", units.VOLUME).kind == "bare_number"


def test_wrong_dimension_names_what_was_given_and_what_is_expected() -> None:
    err = error_of("10 mL", units.TEMPERATURE)
    assert err.kind == "wrong_dimension"
    assert err.message == (
        "'10 mL' is a volume, but an absolute temperature (e.g. '120 degC') is expected here")


def test_absolute_temperature_is_not_a_temperature_difference() -> None:
    # pint's offset units make 25 °C - 20 °C easy to get wrong; the types keep them apart.
    assert error_of("5 °C", units.TEMPERATURE_DIFFERENCE).kind == "wrong_dimension"
    assert error_of("5 delta_degC", units.TEMPERATURE).kind == "wrong_dimension"


def test_unknown_unit_lists_the_accepted_ones() -> None:
    err = error_of("10 furlongs", units.MASS)
    assert err.kind == "unknown_unit"
    assert "unknown unit 'furlongs'" in err.message
    assert err.hint == "accepted units: g, kg, mg, ng, µg"


@pytest.mark.parametrize(
    ("text", "dim", "spelling"),
    [
        ("5 m", units.DURATION, "m"),  # metre or minutes
        ("20 Mg", units.MASS, "Mg"),  # megagram or a slip for mg
        ("120 C", units.TEMPERATURE, "C"),  # coulomb, not Celsius
        ("2 cc", units.VOLUME, "cc"),
        ("0.1 N", units.MOLAR_CONCENTRATION, "N"),
        ("5000 RPM", units.ROTATIONAL_SPEED, "RPM"),
    ],
)
def test_ambiguous_spelling_is_refused_with_its_reason(
    text: str, dim: Dimension, spelling: str
) -> None:
    err = error_of(text, dim)
    assert err.kind == "ambiguous_unit"
    assert AMBIGUOUS_SPELLINGS[spelling] in err.message
    assert err.hint == AMBIGUOUS_SPELLINGS[spelling]


def test_reasons_name_the_intended_spelling() -> None:
    assert "write 'min'" in AMBIGUOUS_SPELLINGS["m"]
    assert "write 'mg'" in AMBIGUOUS_SPELLINGS["Mg"]
    assert "'degC' or '°C'" in AMBIGUOUS_SPELLINGS["C"]


@pytest.mark.parametrize("text", ["5,000 rpm", "5,000rpm", "1,5 mg"])
def test_comma_in_a_number_is_refused(text: str) -> None:
    dim = units.ROTATIONAL_SPEED if "rpm" in text else units.MASS
    err = error_of(text, dim)
    assert err.kind == "malformed"
    assert "thousands separator in English and a decimal mark elsewhere" in err.message


def test_pressure_without_gauge_or_absolute_is_refused() -> None:
    err = error_of("3 bar", units.PRESSURE)
    assert err.kind == "pressure_reference"
    assert err.hint == "write '3 bar gauge' or '3 bar abs'"


def test_reversed_range_is_refused_with_the_range_the_right_way_round() -> None:
    err = error_of("5.3-3.8 mg", units.MASS)
    assert err.kind == "reversed_range"
    assert err.hint == "write '3.8–5.3 mg'"


def test_negative_tolerance_is_refused() -> None:
    assert error_of("1 ± -0.1 mg", units.MASS).kind == "negative"


@pytest.mark.parametrize("value", ["ten mg", "nan mg", "", "−5 °C", "mg 5"])
def test_text_that_is_no_number_is_malformed(value: str) -> None:
    # U+2212 minus is not a number sign a YAML reader or Python accepts.
    dim = units.TEMPERATURE if "°C" in value else units.MASS
    assert error_of(value, dim).kind == "malformed"


@pytest.mark.parametrize("value", [True, None, [1, "mg"], {"value": 1}])
def test_values_that_are_not_text_or_numbers_are_malformed(value: object) -> None:
    assert error_of(value, units.MASS).kind == "malformed"


# --- conversions, against hand values ----------------------------------------------------

def test_celsius_to_kelvin() -> None:
    # T[K] = T[°C] + 273.15
    assert parse("120 °C", units.TEMPERATURE).to("kelvin") == pytest.approx(393.15)
    assert parse("-196 degC", units.TEMPERATURE).to("kelvin") == pytest.approx(77.15)


def test_fahrenheit_to_celsius() -> None:
    # (68 - 32) × 5/9 = 20 °C
    assert parse("68 °F", units.TEMPERATURE).to("degC") == pytest.approx(20.0)


def test_a_temperature_difference_has_no_offset() -> None:
    # A step of 5 °C is a step of 5 K; only absolute temperatures shift by 273.15.
    assert parse("5 delta_degC", units.TEMPERATURE_DIFFERENCE).to("kelvin") == pytest.approx(5.0)


def test_gauge_pressure_adds_one_standard_atmosphere() -> None:
    # 3 bar = 300 000 Pa; gauge + 101 325 Pa (1 atm) = 401 325 Pa absolute.
    assert absolute_pressure_pa(parse("3 bar gauge", units.PRESSURE)) == pytest.approx(401_325)
    assert absolute_pressure_pa(parse("3 bar abs", units.PRESSURE)) == pytest.approx(300_000)


def test_psi_gauge_to_pascal_absolute() -> None:
    # 1 psi = 0.45359237 kg × 9.80665 m/s² / (0.0254 m)² = 6894.757 Pa;
    # 10 psig = 68 947.57 Pa + 101 325 Pa = 170 272.57 Pa absolute.
    assert absolute_pressure_pa(parse("10 psig", units.PRESSURE)) == pytest.approx(
        170_272.57, abs=0.01)


def test_torr_to_pascal() -> None:
    # 1 Torr = 101 325 / 760 Pa by definition, so 760 Torr = 1 atm.
    assert absolute_pressure_pa(parse("760 Torr abs", units.PRESSURE)) == pytest.approx(101_325)


def test_range_converts_low_nominal_and_high() -> None:
    # 3.8–5.3 mg = 3.8e-3–5.3e-3 g; midpoint 4.55e-3 g.
    assert parse("3.8–5.3 mg", units.MASS).magnitudes("gram") == pytest.approx(
        (3.8e-3, 4.55e-3, 5.3e-3))


@pytest.mark.parametrize(
    ("text", "dim", "target", "expected"),
    [
        ("1.5 mmol", units.AMOUNT, "mole", 1.5e-3),
        ("10 µL", units.VOLUME, "milliliter", 0.010),
        ("2 cm3", units.VOLUME, "milliliter", 2.0),  # 1 cm³ = 1 mL
        ("0.1 M", units.MOLAR_CONCENTRATION, "mol/m**3", 100.0),  # 0.1 mol/L × 1000 L/m³
        ("4 mg/mL", units.MASS_CONCENTRATION, "g/L", 4.0),
        ("0.789 g/mL", units.DENSITY, "kg/m**3", 789.0),
        ("183.32 g/mol", units.MOLAR_MASS, "kg/mol", 0.18332),
        ("24 h", units.DURATION, "second", 86_400.0),  # 24 × 3600
        ("1 week", units.DURATION, "day", 7.0),
        ("20 sccm", units.FLOW_RATE, "mL/min", 20.0),  # standard cm³ per minute
        ("5000 rpm", units.ROTATIONAL_SPEED, "revolution/second", 5000 / 60),
        ("350 nm", units.LENGTH, "angstrom", 3500.0),  # 1 Å = 0.1 nm
        ("5 %", units.FRACTION, "dimensionless", 0.05),
        ("50 ppm", units.FRACTION, "dimensionless", 5e-5),
        ("5 kJ", units.ENERGY, "joule", 5000.0),
    ],
)
def test_conversion_matches_hand_value(
    text: str, dim: Dimension, target: str, expected: float
) -> None:
    assert parse(text, dim).to(target) == pytest.approx(expected)


def test_scaling_a_range_scales_both_ends() -> None:
    scaled = parse("3.8–5.3 mg", units.MASS).scaled(Decimal(2))
    assert (scaled.low, scaled.high) == (Decimal("7.6"), Decimal("10.6"))


def test_every_dimension_has_a_unique_name_and_parses_its_own_example() -> None:
    names = [d.name for d in units.ALL_DIMENSIONS]
    assert len(names) == len(set(names))
    for dim in units.ALL_DIMENSIONS:
        assert parse(dim.example, dim).dimension == dim.name


def test_no_refused_spelling_is_also_an_accepted_unit() -> None:
    accepted = {s for d in units.ALL_DIMENSIONS for s in d.units}
    assert accepted.isdisjoint(AMBIGUOUS_SPELLINGS)


@pytest.mark.parametrize(
    ("text", "dim"),
    [
        ("-5 mg", units.MASS),
        ("-1 mL", units.VOLUME),
        ("-2 h", units.DURATION),
        ("1 ± 2 mmol", units.AMOUNT),  # the tolerance reaches below zero
        ("-300 degC", units.TEMPERATURE),  # 0 K = -273.15 °C (SI definition)
        ("-1 K", units.TEMPERATURE),
        ("-500 degF", units.TEMPERATURE),  # 0 K = -459.67 °F
        ("-2 bar gauge", units.PRESSURE),  # -1 atm gauge (-1.01325 bar) is a perfect vacuum
        ("-1 Pa abs", units.PRESSURE),
    ],
)
def test_unphysical_values_are_refused(text: str, dim: units.Dimension) -> None:
    with pytest.raises(units.QuantityError) as info:
        units.parse_quantity(text, (dim,))
    assert info.value.kind == "negative"


@pytest.mark.parametrize(
    ("text", "dim"),
    [
        ("-40 degC", units.TEMPERATURE),
        ("-5 delta_degC", units.TEMPERATURE_DIFFERENCE),
        ("-0.5 bar gauge", units.PRESSURE),  # a partial vacuum
        ("0 mg", units.MASS),
    ],
)
def test_physical_negative_or_zero_values_pass(text: str, dim: units.Dimension) -> None:
    assert units.parse_quantity(text, (dim,)).dimension == dim.name


@pytest.mark.parametrize(("written", "read"), [
    ("0.72 bar", "0.72 bar abs"), ("73.3 kPa", "73.3 kPa abs"), ("15 psig", "15 psig"),
    ("2 barg", "2 barg"), ("1 bar gauge", "1 bar gauge"), ("2 bar (a)", "2 bar (a)"),
    ("3 bar abs", "3 bar abs"),
])
def test_a_pressure_that_can_only_be_absolute_keeps_a_stated_reference(written: str,
                                                                        read: str) -> None:
    """A vapour pressure is absolute unless written otherwise, in every spelling the parser
    reads (glued 'barg' and 'psig' included)."""
    assert units.absolute_unless_stated(written) == read
    assert units.parse_quantity(read, (units.PRESSURE,)).reference is not None
