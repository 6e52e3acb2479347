"""Guesses for "which words are the place, which the topic" in a ``/taohop`` without ``|``.

Never used to save anything by itself: the guesses are offered to the official as numbered
choices (buttons where the platform has them), who picks one or types the place.
"""

from __future__ import annotations

from bot.text.fold import fold

# first words of a topic ("họp chi bộ", "bàn kế hoạch", "triển khai …") — parsing vocabulary
TOPIC_START = frozenset({
    "hop", "ban", "trien", "tong", "ve", "le", "kiem", "bau", "phat", "thu", "nop", "sinh",
    "tap", "giao", "lay", "phong", "thong", "bao", "ke", "de", "xet", "chuan", "hoi", "gap",
})
# first words of a place ("nhà văn hóa", "hội trường", "sân đình", "UBND xã" …)
PLACE_START = frozenset({
    "nha", "hoi", "san", "dinh", "chua", "truong", "tru", "ubnd", "uy", "van", "phong",
    "tram", "cong", "cho", "khu", "xom", "thon", "duong", "tai", "o", "nhs",
})
LEAD_PLACE = ("tai", "o")  # "tại Nhà văn hóa", "ở sân đình": dropped from the place
MAX_CHOICES = 3


def _strip_lead(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and fold(words[0]) in LEAD_PLACE else words


def guess_splits(rest: str) -> list[tuple[str, str]]:
    """Up to three (place, topic) splits of ``rest``, the likeliest first; [] for one word."""
    words = rest.split()
    if len(words) < 2:
        return []
    scored: list[tuple[float, tuple[str, str]]] = []
    for k in range(1, len(words)):
        head, tail = words[:k], words[k:]
        # place first, then topic
        score = 2.0 * (fold(tail[0]) in TOPIC_START) + (fold(head[0]) in PLACE_START)
        score -= abs(k - len(words) / 2) / (10 * len(words))  # ties: nearer the middle
        scored.append((score, (" ".join(_strip_lead(head)), " ".join(tail))))
        # topic first, then the place ("họp chi bộ tại nhà văn hóa")
        if fold(tail[0]) in PLACE_START and fold(head[0]) in TOPIC_START:
            scored.append((score + 1.5, (" ".join(_strip_lead(tail)), " ".join(head))))
    scored.sort(key=lambda item: -item[0])
    out: list[tuple[str, str]] = []
    for _score, split in scored:
        if split not in out:
            out.append(split)
    return out[:MAX_CHOICES]
