import re

from deputyhome.opinions import codes


def test_codes_are_long_unambiguous_and_random():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    for code in drawn:
        assert len(code) == 12
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}", code)
        assert not set(code) & set("01OIL")
    # 31 letters, 12 places: about 59 bits
    assert len(codes.ALPHABET) ** codes.LENGTH > 2**59


def test_normalise_accepts_what_people_type():
    code = codes.new_code()
    shown = codes.display(code)
    assert shown.count("-") == 2
    assert codes.normalise(shown) == code
    assert codes.normalise(f"  {shown.lower()} ") == code
    assert codes.normalise(code[:4] + " " + code[4:]) == code


def test_normalise_refuses_what_cannot_be_a_code():
    for value in ["", "ABC", "0" * 12, "O1IL" * 3, "ABCDEFGHJKMNP", "<script>"]:
        assert codes.normalise(value) == ""
