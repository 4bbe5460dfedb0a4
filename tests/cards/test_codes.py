"""Codes: entropy, alphabet, check character, normalisation."""
import math

import pytest

from saleor_customer_value.cards import codes


def test_codes_have_at_least_60_random_bits_and_no_look_alikes():
    assert len(codes.ALPHABET) == 32 and len(set(codes.ALPHABET)) == 32
    assert not set("01IO") & set(codes.ALPHABET)
    assert codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET)) >= 60
    drawn = {codes.generate() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(c) == 16 and codes.is_valid(c) for c in drawn)


@pytest.mark.parametrize("seed", range(30))
def test_every_single_substitution_and_adjacent_transposition_is_caught(seed):
    code = codes.generate()
    for i, original in enumerate(code):
        for other in codes.ALPHABET:
            if other != original:
                assert not codes.is_valid(code[:i] + other + code[i + 1:])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            assert not codes.is_valid(swapped)


def test_normalisation_accepts_printed_typed_and_scanned_forms():
    code = codes.generate()
    printed = codes.formatted(code)
    assert printed.count("-") == 3
    assert codes.parse(printed) == code
    assert codes.parse(" " + printed.lower().replace("-", " ") + " ") == code
    assert codes.parse(codes.qr_payload(code)) == code
    assert codes.parse("cv1:" + printed.lower()) == code


def test_typos_and_garbage_are_told_apart():
    code = codes.generate()
    typo = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    with pytest.raises(codes.CheckDigitMismatch):
        codes.parse(typo)
    for garbage in ["", "ABC", code + "A", code[:-1] + "0", "O" * 16]:
        with pytest.raises(codes.MalformedCode):
            codes.parse(garbage)


def test_chip_uids_are_normalised():
    assert codes.normalise_chip_uid("04:a2:1b:3c") == "04A21B3C"
    assert codes.normalise_chip_uid("04 A2 1B 3C") == "04A21B3C"
    with pytest.raises(codes.MalformedCode):
        codes.normalise_chip_uid("XYZ")
