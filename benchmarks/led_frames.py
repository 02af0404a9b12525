"""Benchmark: median cold LED frame render time per board resolution (no Django needed)."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from itertools import islice, product
from pathlib import Path

RESOLUTIONS: tuple[tuple[int, int], ...] = ((192, 96), (256, 128), (384, 192))
TEXTS_PER_RESOLUTION = 50
TARGET_MS = 50.0

_SUBJECTS = (
    "Cảnh báo mưa lớn",
    "Thông báo cắt điện",
    "Lễ hội Đền Hùng",
    "Khẩn cấp: lũ quét",
    "Tiêm chủng mở rộng",
    "Ùn tắc giao thông",
    "Nắng nóng gay gắt",
    "Hội chợ nông sản",
    "Bầu cử đại biểu",
    "Phòng chống dịch",
    "Đường Nguyễn Huệ",
    "Sạt lở đất",
)
_DETAILS = (
    "tại xã Hướng Phùng",
    "ở huyện Đắk Glei từ 7 giờ đến 17 giờ",
    "trên Quốc lộ 1A, đề nghị người dân đi đường vòng",
    "kéo dài đến hết ngày mai; hạn chế ra ngoài",
    "tại Nhà văn hóa thôn Ngọc Lặc. Mọi người ưu tiên đến sớm",
    "– nước sông Thạch Hãn đang lên nhanh, sơ tán ngay khỏi vùng trũng thấp",
    "cho trẻ em dưới 5 tuổi, mang theo sổ tiêm",
    "vào Chủ nhật tuần này",
    "ĐỀ NGHỊ NGƯỜI DÂN CHẤP HÀNH HƯỚNG DẪN",
    "theo chỉ đạo của Ủy ban nhân dân tỉnh",
    "!",
    "sẽ được sửa chữa trong 3 ngày; xin lỗi vì sự bất tiện",
    "gần chợ Đông Hà",
)


def _texts() -> list[str]:
    """Distinct Vietnamese texts, a few words to two sentences long."""
    pairs = islice(product(_SUBJECTS, _DETAILS), TEXTS_PER_RESOLUTION * len(RESOLUTIONS))
    return [f"{subject} {detail}" for subject, detail in pairs]


def _time_ms(render: Callable[..., bytes], text: str, width: int, height: int) -> float:
    """Wall time of one render in milliseconds."""
    start = time.perf_counter()
    render(text, width=width, height=height)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    """Run the benchmark; exit status 1 if the 384x192 target is missed."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from media.led import render_frame

    texts = _texts()
    first = _time_ms(render_frame, "Khởi động bảng LED – Ặ Ễ Ữ", 384, 192)
    print(f"first render incl. font loading (384x192): {first:.1f} ms")
    medians: dict[tuple[int, int], float] = {}
    for index, (width, height) in enumerate(RESOLUTIONS):
        chunk = texts[index * TEXTS_PER_RESOLUTION : (index + 1) * TEXTS_PER_RESOLUTION]
        times = [_time_ms(render_frame, text, width, height) for text in chunk]
        medians[(width, height)] = statistics.median(times)
        print(
            f"{width}x{height}: median {medians[(width, height)]:.2f} ms, "
            f"max {max(times):.2f} ms over {len(times)} cold texts"
        )
    ok = medians[(384, 192)] < TARGET_MS
    print(f"target median < {TARGET_MS:.0f} ms at 384x192: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
