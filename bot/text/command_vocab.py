"""Plain words that trigger a command in a private chat (parsing vocabulary, not sentences).

They are matched after diacritic folding, so ``lich hop`` works as well as ``lịch họp``.
"""

HELP_WORDS = ("trợ giúp", "giúp", "help")
MEETINGS_WORDS = ("lịch họp",)
NEWS_WORDS = ("tin mới",)
