"""Text read aloud: Vietnamese number words, no addresses, reading time at broadcast pace."""

import pytest

from channels.textlimits import measure_reading, speakable
from channels.textlimits.speech import has_url, number_words, spoken_numbers, without_urls


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (101, "một trăm linh một"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm linh năm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (1_500_000, "một triệu năm trăm nghìn"),
        (3_000_000_000, "ba tỷ"),
    ],
)
def test_number_words(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("tiêm mũi 3", "tiêm mũi ba"),
        ("từ 6h30", "từ sáu giờ ba mươi phút"),
        ("lúc 17:30", "lúc mười bảy giờ ba mươi phút"),
        ("ngày 23/11", "ngày hai mươi ba tháng mười một"),
        ("từ 1/12/2026", "từ ngày một tháng mười hai năm hai nghìn không trăm hai mươi sáu"),
        ("đạt 95,5%", "đạt chín mươi lăm phẩy năm phần trăm"),
        ("1.000 liều", "một nghìn liều"),
        ("gọi 0912345678", "gọi không chín một hai ba bốn năm sáu bảy tám"),
    ],
)
def test_numbers_times_dates_and_percentages_in_words(text, spoken):
    assert spoken_numbers(text) == spoken


def test_addresses_are_taken_out():
    text = "Xem lịch tại https://soyte.dienbien.gov.vn/lich-tiem hoặc soyte.gov.vn, gửi thư tới a@b.vn."

    assert has_url(text)
    cleaned = without_urls(text)
    assert "http" not in cleaned and "gov.vn" not in cleaned and "@" not in cleaned
    assert not has_url(speakable(text))


def test_reading_time_at_broadcast_pace():
    measure = measure_reading(" ".join(["tiêm"] * 150) + ".")

    assert measure.words == 150 and measure.sentences == 1
    assert measure.seconds == 61  # 150 words at 150 a minute, plus one pause


def test_empty_text_reads_in_no_time():
    assert measure_reading("  ").seconds == 0
