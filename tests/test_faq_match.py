"""Matching villagers' real-style questions against the shipped FAQ knowledge base."""

from __future__ import annotations

import pytest

from bot.text.fold import fold
from bot.text.telex_vocab import untelex
from handlers.faq.match import (
    ANSWER_MARGIN,
    ANSWER_SCORE,
    CHOICE_FLOOR,
    CHOICE_WINDOW,
    CLEAR_WINNER_MARGIN,
    CLEAR_WINNER_SCORE,
    MAX_CHOICES,
    FaqEntry,
    FaqIndex,
    Lexicon,
    load_default_entries,
    load_lexicon,
    match_with_fallback,
    merge_entries,
    primary_locale,
)


@pytest.fixture(scope="module")
def indexes() -> dict[str, FaqIndex]:
    """One index per shipped locale, built once for the whole module."""
    return {loc: FaqIndex.build(load_default_entries(loc), loc) for loc in ("vi", "en")}


def choices(*ids: str) -> tuple[str, frozenset[str]]:
    """Expectation: the matcher offers choices that include all these ids."""
    return ("choices", frozenset(ids))


NONE = None

# (locale, query, expected): an entry id (answer), choices(...) or NONE.
# Written the way people type in a village chat: with and without diacritics, misspelt,
# abbreviated, in another word order, or in English.
QUERY_TABLE: list[tuple[str, str, str | tuple[str, frozenset[str]] | None]] = [
    # VNeID
    ("vi", "cach kich hoat vneid", "vneid-kich-hoat"),
    ("vi", "kích hoạt VNeID như thế nào", "vneid-kich-hoat"),
    ("vi", "Cho em hỏi cách kích hoạt định danh điện tử với ạ", "vneid-kich-hoat"),
    ("vi", "cach kick hoat vneid", "vneid-kich-hoat"),
    ("vi", "vnied kich hoat", "vneid-kich-hoat"),
    ("vi", "vneid kich hoat the nao", "vneid-kich-hoat"),
    ("vi", "vneid muc 2 lam o dau", "vneid-muc-dinh-danh"),
    ("vi", "mức 2 vneid ở đâu làm", "vneid-muc-dinh-danh"),
    ("vi", "định danh mức 2 làm ở đâu", "vneid-muc-dinh-danh"),
    ("vi", "muc 2 va muc 1 khac gi", "vneid-muc-dinh-danh"),
    ("vi", "quen mat khau vneid", "vneid-quen-mat-khau"),
    ("vi", "quen mk vneid", "vneid-quen-mat-khau"),
    ("vi", "quên passcode", "vneid-quen-mat-khau"),
    ("vi", "vneid bi khoa", "vneid-quen-mat-khau"),
    ("vi", "quen mat khau dinh danh dien tu", "vneid-quen-mat-khau"),
    ("vi", "vneid", choices("vneid-kich-hoat", "vneid-muc-dinh-danh", "vneid-quen-mat-khau")),
    # Digital signatures
    ("vi", "chu ki so la gi", "cks-la-gi"),
    ("vi", "CKS LÀ GÌ", "cks-la-gi"),
    ("vi", "lam cks o dau", "cks-dang-ky"),
    ("vi", "mua chu ky so o dau", "cks-dang-ky"),
    ("vi", "dang ky chu ky so", "cks-dang-ky"),
    ("vi", "chu ky so gia bao nhieu", "cks-chi-phi"),
    ("vi", "gia han cks", "cks-chi-phi"),
    ("vi", "chu ky so het han", "cks-chi-phi"),
    ("vi", "ki so tu xa", "cks-ky-tu-xa"),
    ("vi", "chữ kí số", "cks-la-gi"),  # the bare topic word is a keyword of the what-is entry
    # Money: transfers, QR, scams, OTP, accounts
    ("vi", "ck nhầm tài khoản", "chuyen-khoan-nham"),
    ("vi", "stk nham", "chuyen-khoan-nham"),
    ("vi", "toi chuyen nham tien cho nguoi la", "chuyen-khoan-nham"),
    ("vi", "nhan duoc tien chuyen nham", "chuyen-khoan-nham"),
    ("vi", "ck an toan", "chuyen-khoan-an-toan"),
    ("vi", "chuyen tien qua app ngan hang", "chuyen-khoan-an-toan"),
    ("vi", "bị lừa chuyển tiền", "bi-lua-mat-tien"),
    ("vi", "bi lua mat tien roi", "bi-lua-mat-tien"),
    ("vi", "bi hack tai khoan ngan hang", "bi-lua-mat-tien"),
    ("vi", "cong an goi dien bat chuyen tien", "lua-dao-gia-danh"),
    ("vi", "dien luc goi dien bao cat dien", "lua-dao-gia-danh"),
    ("vi", "bị lừa qua điện thoại", choices("lua-dao-gia-danh", "bi-lua-mat-tien")),
    ("vi", "bị lừa đảo phải làm sao", "bi-lua-mat-tien"),
    ("vi", "lừa đảo", "lua-dao-gia-danh"),
    ("vi", "tài khoản ngân hàng", "mo-tai-khoan-ngan-hang"),
    ("vi", "mật khẩu", choices("vneid-quen-mat-khau", "wifi-nha-an-toan")),
    ("vi", "doi mat khau", choices("vneid-quen-mat-khau", "wifi-nha-an-toan")),
    ("vi", "quet ma qr co an toan ko", "qr-thanh-toan-an-toan"),
    ("vi", "QR dán đè", "qr-thanh-toan-an-toan"),
    ("vi", "ma otp la gi", "bao-mat-otp"),
    ("vi", "co nen doc otp cho nguoi khac", "bao-mat-otp"),
    ("vi", "mở tài khoản ngân hàng cần gì", "mo-tai-khoan-ngan-hang"),
    ("vi", "mo stk", "mo-tai-khoan-ngan-hang"),
    ("vi", "lam the atm can gi", "mo-tai-khoan-ngan-hang"),
    # Selling online
    ("vi", "ban hang tren shopee", "ban-hang-san-tmdt"),
    ("vi", "ban hang shoppe", "ban-hang-san-tmdt"),
    ("vi", "mở shop trên tiktok", "ban-hang-san-tmdt"),
    ("vi", "ban hang online co phai dong thue khong", "ban-hang-san-tmdt"),
    # Wifi, cameras, phones
    ("vi", "wifi cong cong", "wifi-cong-cong"),
    ("vi", "wifi quan ca phe co an toan khong", "wifi-cong-cong"),
    ("vi", "doi pass wifi", "wifi-nha-an-toan"),
    ("vi", "wifi", choices("wifi-cong-cong", "wifi-nha-an-toan")),
    ("vi", "camera bi hack", "camera-an-ninh"),
    ("vi", "lap camera an ninh", "camera-an-ninh"),
    ("vi", "mat dt", "mat-dien-thoai"),
    ("vi", "bi mat dien thoai phai lam gi", "mat-dien-thoai"),
    # Emergencies and child protection
    ("vi", "so cap cuu", "so-khan-cap"),
    ("vi", "goi cuu hoa", "so-khan-cap"),
    ("vi", "chay nha goi so nao", "so-khan-cap"),
    ("vi", "113", "so-khan-cap"),
    ("vi", "so bao ve tre em", "tong-dai-bao-ve-tre-em"),
    ("vi", "tre em bi bao hanh goi dau", "tong-dai-bao-ve-tre-em"),
    # Public services and local help
    ("vi", "dich vu cong truc tuyen", "dvc-truc-tuyen"),
    ("vi", "nộp hồ sơ online", "dvc-truc-tuyen"),
    ("vi", "nop ho so dvc", "dvc-truc-tuyen"),
    ("vi", "lam giay khai sinh online", "dvc-truc-tuyen"),
    ("vi", "tra cuu ho so dvc", "dvc-tra-cuu-ho-so"),
    ("vi", "hồ sơ", choices("dvc-truc-tuyen", "dvc-tra-cuu-ho-so")),
    ("vi", "ho so cua toi den dau roi", "dvc-tra-cuu-ho-so"),
    ("vi", "to cong nghe so", "ho-tro-dia-phuong"),
    ("vi", "bo phan mot cua", "ho-tro-dia-phuong"),
    ("vi", "ai huong dan dung dien thoai", "ho-tro-dia-phuong"),
    # Not in the knowledge base
    ("vi", "xyz abc", NONE),
    ("vi", "asdfgh", NONE),
    ("vi", "thời tiết hôm nay", NONE),
    ("vi", "giá vàng hôm nay", NONE),
    ("vi", "lịch họp thôn", NONE),
    ("vi", "ai là trưởng thôn", NONE),
    ("vi", "cho vay tien", NONE),
    # English
    ("en", "how do I activate VNeID", "vneid-kich-hoat"),
    ("en", "forgot vneid password", "vneid-quen-mat-khau"),
    ("en", "vneid level 2", "vneid-muc-dinh-danh"),
    ("en", "what is a digital signature", "cks-la-gi"),
    ("en", "how to get a digital signature", "cks-dang-ky"),
    ("en", "remote signing", "cks-ky-tu-xa"),
    ("en", "emergency number ambulance", "so-khan-cap"),
    ("en", "fire", "so-khan-cap"),
    ("en", "child abuse hotline", "tong-dai-bao-ve-tre-em"),
    ("en", "sent money to wrong account", "chuyen-khoan-nham"),
    ("en", "someone called saying they are police", "lua-dao-gia-danh"),
    ("en", "i got scammed", "bi-lua-mat-tien"),
    ("en", "is it safe to scan a QR code", "qr-thanh-toan-an-toan"),
    ("en", "how to sell on shopee", "ban-hang-san-tmdt"),
    ("en", "is public wifi safe", "wifi-cong-cong"),
    ("en", "i lost my phone", "mat-dien-thoai"),
    ("en", "check application status", "dvc-tra-cuu-ho-so"),
    ("en", "who can help me", "ho-tro-dia-phuong"),
    ("en", "wifi", choices("wifi-cong-cong", "wifi-nha-an-toan")),
    ("en", "password", choices("vneid-quen-mat-khau", "wifi-nha-an-toan")),
    ("en", "scam", "lua-dao-gia-danh"),
    ("en", "weather today", NONE),
    ("en", "xyz abc", NONE),
]


@pytest.mark.parametrize(("locale", "query", "expected"), QUERY_TABLE)
def test_query_table(
    indexes: dict[str, FaqIndex],
    locale: str,
    query: str,
    expected: str | tuple[str, frozenset[str]] | None,
) -> None:
    """Each real-style query gets the expected answer, choices, or nothing."""
    result = indexes[locale].match(query)
    ranked = [(e.id, s) for e, s in indexes[locale].rank(query)[:3]]
    if expected is None:
        assert result.kind == "none", ranked
        assert result.entry is None
        assert result.choices == []
    elif isinstance(expected, str):
        assert result.kind == "answer", ranked
        assert result.entry is not None
        assert result.entry.id == expected, ranked
    else:
        assert result.kind == "choices", ranked
        offered = {e.id for e, _ in result.choices}
        assert expected[1] <= offered, ranked
        assert len(result.choices) <= MAX_CHOICES


def test_table_is_big_enough() -> None:
    """The thresholds are justified by a table of at least 45 queries covering every outcome."""
    kinds = {type(e).__name__ for _, _, e in QUERY_TABLE}
    assert len(QUERY_TABLE) >= 45
    assert kinds == {"str", "tuple", "NoneType"}


def test_thresholds_separate_the_table(indexes: dict[str, FaqIndex]) -> None:
    """Every expected answer clears its rule and every expected none stays under the floor."""
    for locale, query, expected in QUERY_TABLE:
        result = indexes[locale].match(query)
        margin = result.score - result.runner_up
        if isinstance(expected, str):
            assert (result.score >= ANSWER_SCORE and margin >= ANSWER_MARGIN) or (
                result.score >= CLEAR_WINNER_SCORE and margin >= CLEAR_WINNER_MARGIN
            ), query
        elif expected is None:
            assert result.score < CHOICE_FLOOR, query


def test_choices_are_ranked_close_and_capped(indexes: dict[str, FaqIndex]) -> None:
    """Choices are sorted best first, all within the window of the best and above the floor."""
    result = indexes["vi"].match("vneid")
    scores = [s for _, s in result.choices]
    assert result.kind == "choices"
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == result.score
    assert all(s >= CHOICE_FLOOR and result.score - s <= CHOICE_WINDOW for s in scores)


def test_empty_or_punctuation_query_is_none(indexes: dict[str, FaqIndex]) -> None:
    """Nothing to match means no match, not an error."""
    for query in ("", "   ", "?!...", "😀"):
        assert indexes["vi"].match(query).kind == "none"


def test_diacritics_case_and_punctuation_do_not_matter(indexes: dict[str, FaqIndex]) -> None:
    """The same question typed four ways ranks identically."""
    variants = [
        "Quên mật khẩu VNeID thì làm sao?",
        "quen mat khau vneid thi lam sao",
        "QUÊN MẬT KHẨU VNEID THÌ LÀM SAO!!!",
        "  quên   mật khẩu, vneid  thì làm sao  ",
    ]
    ranks = [[(e.id, s) for e, s in indexes["vi"].rank(v)] for v in variants]
    assert all(r == ranks[0] for r in ranks)
    assert ranks[0][0] == ("vneid-quen-mat-khau", 100.0)


def test_d_with_stroke_folds_to_d() -> None:
    """đ/Đ (and the look-alike Ð) fold to d, which plain NFD would leave alone."""
    assert fold("Đăng ký ĐỊNH DANH điện tử") == "dang ky dinh danh dien tu"
    assert fold("Ðăng ký") == "dang ky"
    assert fold("chữ-ký số/113") == "chu ky so 113"


def test_abbreviations_expand_as_whole_words() -> None:
    """Abbreviations like "ck" expand on their own, not inside another word ("check")."""
    lexicon = load_lexicon("vi")
    assert lexicon.normalize("ck nhầm stk") == "chuyen khoan nham so tai khoan"
    assert lexicon.normalize("check cks") == "check chu ky so"


def test_stop_phrases_are_ignored_for_coverage() -> None:
    """Filler words and phrases are dropped from the words an entry must explain."""
    lexicon = load_lexicon("vi")
    text = lexicon.normalize("cho em hoi kich hoat vneid ntn a")
    assert lexicon.content_words(text) == ["kich", "hoat", "vneid"]


def test_village_entry_replaces_default_with_same_id() -> None:
    """A village can rewrite a shipped answer, e.g. to name its own helpers."""
    village = FaqEntry(
        id="ho-tro-dia-phuong",
        question="Hỏi ai ở thôn Thanh Bình khi cần giúp dùng điện thoại?",
        answer="Anh Tuấn (tổ công nghệ số) trực ở nhà văn hóa tối thứ Bảy.",
        keywords=["tổ công nghệ số", "hỏi ai"],
        source="village",
        village_id="thanhbinh",
    )
    index = FaqIndex.build([*load_default_entries("vi"), village], "vi")
    result = index.match("to cong nghe so")
    assert result.kind == "answer"
    assert result.entry == village
    assert sum(e.id == "ho-tro-dia-phuong" for e in index.entries) == 1


def test_village_entry_with_near_identical_question_replaces_default() -> None:
    """A village entry asking the same question under a new id hides the default one."""
    village = FaqEntry(
        id="village-7",
        question="Quên mật khẩu VNeID thì làm sao ạ?",
        answer="Ra công an xã gặp chị Lan, mang căn cước.",
        source="village",
        village_id="thanhbinh",
    )
    merged = merge_entries([*load_default_entries("vi"), village], load_lexicon("vi"))
    ids = [e.id for e in merged]
    assert "vneid-quen-mat-khau" not in ids
    assert ids.count("village-7") == 1
    index = FaqIndex.build([*load_default_entries("vi"), village], "vi")
    result = index.match("quen mat khau vneid")
    assert result.kind == "answer"
    assert result.entry == village


def test_village_only_entry_without_keywords_matches_on_question() -> None:
    """Entries added with /faq them have no keywords; the question alone must do."""
    village = FaqEntry(
        id="village-1",
        question="Lịch thu tiền nước sinh hoạt tháng này",
        answer="Tổ thu tiền nước đi thu vào ngày 5 hằng tháng.",
        source="village",
        village_id="thanhbinh",
    )
    index = FaqIndex.build([*load_default_entries("vi"), village], "vi")
    result = index.match("khi nao thu tien nuoc")
    assert result.kind == "answer"
    assert result.entry == village
    assert index.get("so-khan-cap") is not None


def test_unrelated_village_entry_leaves_defaults_alone() -> None:
    """Only the same id or nearly the same question replaces a default."""
    village = FaqEntry(
        id="village-2",
        question="Khi nào họp thôn?",
        answer="Tối thứ Sáu đầu tháng.",
        source="village",
        village_id="thanhbinh",
    )
    defaults = load_default_entries("vi")
    merged = merge_entries([*defaults, village], load_lexicon("vi"))
    assert merged == [*defaults, village]


def test_fallback_to_other_locale_keeps_chat_language(indexes: dict[str, FaqIndex]) -> None:
    """A Vietnamese question in an English chat is answered with the English entry."""
    assert indexes["en"].match("cach kich hoat vneid").kind == "none"
    result = match_with_fallback(indexes, "cach kich hoat vneid", "en-US")
    assert result.kind == "answer"
    assert result.entry == indexes["en"].get("vneid-kich-hoat")
    assert result.locale == "vi"


def test_fallback_prefers_home_locale_answer(indexes: dict[str, FaqIndex]) -> None:
    """When the chat's own locale answers, its entry is returned untouched."""
    result = match_with_fallback(indexes, "quen mat khau vneid", "vi")
    assert result.kind == "answer"
    assert result.entry == indexes["vi"].get("vneid-quen-mat-khau")
    assert result.locale == "vi"


def test_fallback_keeps_home_choices(indexes: dict[str, FaqIndex]) -> None:
    """An ambiguous query in a Vietnamese chat gets Vietnamese choices, not foreign ones."""
    result = match_with_fallback(indexes, "vneid", "vi")
    assert result.kind == "choices"
    assert result.locale == "vi"
    assert all(e is indexes["vi"].get(e.id) for e, _ in result.choices)


def test_fallback_offers_foreign_choices_when_home_has_nothing(
    indexes: dict[str, FaqIndex],
) -> None:
    """Foreign choices are swapped for the home locale's entries with the same ids."""
    query = "bị lừa qua điện thoại"
    assert indexes["en"].match(query).kind == "none"
    result = match_with_fallback(indexes, query, "en")
    assert result.kind == "choices"
    assert result.locale == "vi"
    assert {e.id for e, _ in result.choices} >= {"bi-lua-mat-tien", "lua-dao-gia-danh"}
    assert all(e is indexes["en"].get(e.id) for e, _ in result.choices)


def test_fallback_prefers_a_stronger_foreign_answer_to_home_choices() -> None:
    """Home choices lose to a foreign answer that scores higher, shown in the home language."""
    at_home = FaqEntry("wifi-home", "Wifi at home", "Home answer.", keywords=["wifi"])
    public_en = FaqEntry("wifi-public", "Wifi in public", "Public answer.", keywords=["wifi"])
    public_vi = FaqEntry("wifi-public", "Wifi công cộng", "Trả lời.", keywords=["wifi công cộng"])
    indexes = {
        "en": FaqIndex.build([at_home, public_en], "en", lexicon=Lexicon()),
        "vi": FaqIndex.build([public_vi], "vi", lexicon=Lexicon()),
    }
    assert indexes["en"].match("wifi cong cong").kind == "choices"
    result = match_with_fallback(indexes, "wifi cong cong", "en")
    assert result.kind == "answer"
    assert result.entry == public_en
    assert result.locale == "vi"


def test_fallback_none_when_no_locale_matches(indexes: dict[str, FaqIndex]) -> None:
    """Nonsense stays unmatched in every locale."""
    assert match_with_fallback(indexes, "xyz abc", "vi").kind == "none"


def test_primary_locale_normalises_codes() -> None:
    """Telegram/Zalo language codes map onto the two shipped locales."""
    assert primary_locale("en-US") == "en"
    assert primary_locale("vi_VN") == "vi"
    assert primary_locale(None) == "vi"
    assert primary_locale("fr") == "vi"


def test_unknown_locale_is_rejected() -> None:
    """Loading a knowledge base that is not shipped is a programming error."""
    with pytest.raises(ValueError, match="unsupported"):
        load_default_entries("fr")


def test_build_accepts_an_explicit_lexicon() -> None:
    """Callers may index arbitrary entries with their own (here: empty) lexicon."""
    entry = FaqEntry(id="x", question="Giờ mở cửa nhà văn hóa", answer="Từ 7 giờ.")
    index = FaqIndex.build([entry], "vi", lexicon=Lexicon())
    result = index.match("gio mo cua nha van hoa")
    assert result.kind == "answer"
    assert result.entry == entry


def test_accented_queries_never_match_english(indexes: dict[str, FaqIndex]) -> None:
    """"cảm ơn" folds to "cam on", and the English lexicon reads "cam" as camera."""
    assert match_with_fallback(indexes, "cảm ơn cán bộ thôn", "vi").locale == "vi"
    assert match_with_fallback(indexes, "cảm ơn cán bộ thôn", "vi").kind == "none"
    assert match_with_fallback(indexes, "camera security", "vi").kind == "answer"


@pytest.mark.parametrize("query", [
    "the bhyt het han lam lai o dau",  # health-insurance card: shares only "hết hạn" with CKS
    "thẻ bảo hiểm y tế hết hạn gia hạn ở đâu",
])
def test_generic_words_alone_never_answer_another_topic(
        indexes: dict[str, FaqIndex], query: str) -> None:
    result = indexes["vi"].match(query)
    assert result.kind != "answer", result
    assert all(not e.id.startswith("cks") for e, _ in result.choices)


def test_only_generic_words_offer_choices(indexes: dict[str, FaqIndex]) -> None:
    assert indexes["vi"].match("gia hạn").kind == "choices"


@pytest.mark.parametrize(("query", "entry"), [
    ("ddawng kys chuwx kys soos", "cks-dang-ky"),  # Telex left on
    ("quene maatj khaaur vneid", "vneid-quen-mat-khau"),
    ("ko bjt dk cks ntn", "cks-dang-ky"),  # teen code
    ("co nguoi goi dien xung la cong an bat chuyen tien", "lua-dao-gia-danh"),
    ("nhan vien dien luc goi bao cat dien", "lua-dao-gia-danh"),
    ("so la goi noi em lien quan vu an rua tien", "lua-dao-gia-danh"),
    ("đc ngân hàng gọi bảo nâng hạn mức thẻ", "lua-dao-gia-danh"),
])
def test_telex_teen_code_and_scam_calls(indexes: dict[str, FaqIndex], query: str,
                                        entry: str) -> None:
    result = indexes["vi"].match(query)
    assert result.kind == "answer" and result.entry is not None, result
    assert result.entry.id == entry


def test_untelex_keeps_plain_words() -> None:
    assert "tieng" in untelex("tieengs") and "viet" in untelex("vieejt")
    assert untelex("nha") == ()
