"""How pages show dates and moments, in one place: "1 december 2026", "1 december 2026 15:44".

Templates name these formats (`|date:"DATE_FORMAT"`, `|date:"DATETIME_FORMAT"`) instead of
spelling out a pattern, so every page writes dates the same, Dutch way. Django's own "M"
would give "1 Dec 2026", which no Dutch reader writes. Everything not set here (input
formats, short formats) comes from Django's Dutch locale.
"""

DATE_FORMAT = "j F Y"  # 1 december 2026
DATETIME_FORMAT = "j F Y H:i"  # 1 december 2026 15:44
