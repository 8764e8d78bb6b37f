"""Text helpers shared by the loader and the search (pure Python)."""

import unicodedata


def normalize(text: str) -> str:
    """Lower case without accents, so that "securite" finds "sécurité"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe")
