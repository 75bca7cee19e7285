"""British and American spellings of the same word ("licences" / "licenses", "organise" / "organize").

A customer writing British English asks about a doc written in American English (or the other way
round): the words must still meet, in the lexical index and wherever words are counted. Data, not a
model: the pairs below (base forms; common inflections are derived), both directions.
"""

from __future__ import annotations

import re
from functools import lru_cache

# British base form -> American base form.
_PAIRS_TEXT = """
    licence license  colour color  behaviour behavior  favour favor  favourite favorite  honour honor
    labour labor  neighbour neighbor  centre center  metre meter  catalogue catalog  dialogue dialog
    analyse analyze  defence defense  offence offense  grey gray  enrolment enrollment  fulfil fulfill
    instalment installment  programme program  judgement judgment
    organise organize  organisation organization  prioritise prioritize  customise customize
    authorise authorize  authorisation authorization  recognise recognize  synchronise synchronize
    synchronisation synchronization  optimise optimize  optimisation optimization  minimise minimize
    maximise maximize  personalise personalize  summarise summarize  utilise utilize  categorise categorize
    standardise standardize  initialise initialize  finalise finalize  normalise normalize
    visualise visualize  specialise specialize  apologise apologize  emphasise emphasize  digitise digitize
    cancelled canceled  cancelling canceling  travelled traveled  travelling traveling  labelled labeled
    labelling labeling  modelling modeling  modelled modeled  totalled totaled
"""


def _inflections(base: str) -> list[str]:
    """The base form and its usual inflections ("organise" → organises, organised, organising)."""
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base.endswith(("ed", "ing")):
        return [base]
    return [base, base + "s", base + "ed", base + "ing"]


@lru_cache(maxsize=1)
def _spellings() -> tuple[tuple[str, str], ...]:
    """Every (British, American) pair of inflected forms that differ."""
    words = _PAIRS_TEXT.split()
    return tuple((a, b) for uk, us in zip(words[::2], words[1::2], strict=True)
                 for a, b in zip(_inflections(uk), _inflections(us), strict=True) if a != b)


@lru_cache(maxsize=1)
def _surface_pairs() -> dict[str, str]:
    """Every inflected form -> its other spelling, both directions."""
    return {**dict(_spellings()), **{us: uk for uk, us in _spellings()}}


@lru_cache(maxsize=1)
def _american() -> dict[str, str]:
    """British inflected form -> American form (one canonical spelling for counting words)."""
    return dict(_spellings())


def american(word: str) -> str:
    """The American spelling of a lower-case word, or the word itself."""
    return _american().get(word, word)


_WORD = re.compile(r"[A-Za-z]+")


def with_variants(text: str) -> str:
    """The text followed by the other spelling of each word that has one (a query for the lexical index)."""
    extra = [_surface_pairs()[w.lower()] for w in _WORD.findall(text) if w.lower() in _surface_pairs()]
    return f"{text} {' '.join(dict.fromkeys(extra))}" if extra else text
