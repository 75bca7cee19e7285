"""Field checks that keep ambiguous data out of the book: who may see a record, which account it is.

Both fail closed. An unknown visibility word is refused rather than mapped to some audience, and an
account id a person could confuse with another (case, width, look-alike letters, hidden characters)
is refused rather than stored as a second account.
"""

from __future__ import annotations

import unicodedata

RECORD_VISIBILITIES = ("internal", "customer")  # of an account's record; `public` is for docs only
CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN"})
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"})


def record_visibility(value: object) -> object:
    """Fail closed: an account record is `internal` or `customer`, never anything wider.

    "public" (or any unknown word an export invents) is refused, not mapped, so a typo in data can
    never show an internal note to every customer.
    """
    if isinstance(value, str) and value in RECORD_VISIBILITIES:  # a Visibility member is a str too
        return value
    raise ValueError("visibility must be 'internal' or 'customer' (missing = internal); nothing wider")


def identity_key(account_id: str) -> str:
    """What makes two account ids the same account: `Contoso`, `contoso` and `Ｃontoso` are one."""
    return unicodedata.normalize("NFKC", account_id).casefold()


def account_id_check(value: object) -> object:
    """Refuse ids a person cannot tell apart or type: whitespace, control or invisible characters, and
    letters mixing Latin with Cyrillic/Greek look-alikes (`acme` spelt with a Cyrillic `а`)."""
    if not isinstance(value, str):
        return value
    for char in value:
        if char.isspace() or unicodedata.category(char) in HIDDEN_CATEGORIES:
            raise ValueError(f"account ids may not hold whitespace or control characters (U+{ord(char):04X})")
    scripts = {unicodedata.name(c, "?").split()[0] for c in value if c.isalpha()} & CONFUSABLE_SCRIPTS
    if len(scripts) > 1:
        raise ValueError(f"account id mixes {' and '.join(sorted(scripts))} letters (a look-alike?)")
    return value
