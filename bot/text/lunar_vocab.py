"""Vietnamese lunar-calendar words: month names, named days (solar and lunar), display words."""

from __future__ import annotations

import re

# folded month words used with "tháng"
LUNAR_MONTH_WORDS = {"gieng": 1, "chap": 12}
# how a lunar month is named in replies ("tháng Giêng", "tháng Chạp", else "tháng N")
MONTH_NAMES = {1: "tháng Giêng", 12: "tháng Chạp"}
LEAP_WORD = "nhuận"
MONTH_WORD = "tháng"
FULL_MOON = "Rằm"
NEW_MOON_DAY = "mùng"
LUNAR_SUFFIX = "âm lịch"
EN_LUNAR = "lunar"

# named days, matched on folded text: (pattern, lunar?, day, month)
NAMED_DAYS: tuple[tuple[re.Pattern[str], bool, int, int], ...] = tuple(
    (re.compile(r"(?<!\w)(?:ngay\s+|le\s+|dip\s+)?" + pat + r"(?!\w)"), lunar, d, m)
    for pat, lunar, d, m in (
        (r"tet\s+(?:nguyen\s+dan|am\s+lich|co\s+truyen|ta)", True, 1, 1),
        (r"ram\s+thang\s+(?:gieng|1)|tet\s+nguyen\s+tieu|nguyen\s+tieu", True, 15, 1),
        (r"ram\s+thang\s+(?:bay|7)|vu\s+lan", True, 15, 7),
        (r"(?:tet\s+)?trung\s+thu", True, 15, 8),
        (r"ong\s+cong\s+ong\s+tao|ong\s+tao", True, 23, 12),
        (r"tet\s+(?:duong\s+lich|tay)|nam\s+moi\s+duong\s+lich", False, 1, 1),
        (r"giang\s+sinh|noel|no\s*en", False, 25, 12),
        (r"quoc\s+khanh(?:\s+2\s*/\s*9)?", False, 2, 9),
        (r"giai\s+phong(?:\s+mien\s+nam)?(?:\s+30\s*/\s*4)?|thong\s+nhat", False, 30, 4),
        (r"quoc\s+te\s+phu\s+nu(?:\s+8\s*/\s*3)?|phu\s+nu\s+8\s*/\s*3", False, 8, 3),
        (r"nha\s+giao(?:\s+viet\s+nam)?(?:\s+20\s*/\s*11)?", False, 20, 11),
    )
)
# "mùng 3 Tết": lunar day N of month 1
TET_DAY = re.compile(r"(?<!\w)(?:ngay\s+)?(?:mung|mong)\s*(?P<d>\d{1,2})\s+(?:thang\s+)?tet(?!\w)")
