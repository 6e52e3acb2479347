"""Plain words that trigger a command in a private chat (parsing vocabulary, not sentences).

They are matched after diacritic folding, so ``lich hop`` works as well as ``lịch họp``.
"""

HELP_WORDS = ("trợ giúp", "giúp", "help")
MEETINGS_WORDS = ("lịch họp",)
NEWS_WORDS = ("tin mới",)

# "no" to an optional step-by-step question (no photo, no budget yet), folded
NO_WORDS = frozenset({"khong", "ko", "k", "no", "none", "-", "0", "chua", "chua co", "bo qua"})
