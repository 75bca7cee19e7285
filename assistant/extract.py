"""Extractive answers: the sentences of the top passages that best answer the question, by meaning.

Units come from `retrieval.sentences` (never cut inside Markdown or a parenthesis; numbered steps
belong to their procedure). A unit scores by its similarity in meaning to the question (the
reranker's MiniLM score, carried on the passage), by the question's content words it holds (a word
rare among the candidates weighs more than one most of them share), and
by its passage's rerank score; a paraphrase therefore wins over a sentence that merely repeats the
question's words. Units that instruct the assistant are never candidates, and a passage that is
mostly instructions is dropped whole (`assistant.injection`). When nothing is close enough in
meaning or in words, the workspace does not hold the answer and the composer says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import SourceKind
from assistant.injection import is_instruction, is_mostly_instruction
from assistant.time_window import MONTH_PATTERN
from assistant.words import american, content_words, lists_attendees, stem, tokens
from retrieval.passages import Passage
from retrieval.sentences import Procedure, Unit

MEANING_WEIGHT = 0.6
WORDS_WEIGHT = 0.3
PASSAGE_WEIGHT = 0.1
RANK_WEIGHT = 0.3  # passages without meaning scores (no reranker): the old word-overlap formula
MIN_SCORE = 0.2
MIN_MEANING = 0.25  # below this a unit is off-topic whatever words it shares
ANSWER_MEANING = 0.5  # at or above this a unit answers in other words (no shared word needed)
# At or above this a unit is on the question's topic: with one of the question's words on its page, it
# answers. Off-topic questions ("the weather in Paris tomorrow?") peak below it over the demo's docs
# (highest 0.37 in 30), paraphrased product questions mostly above (docs/benchmarks.md, "Not found").
TOPIC_MEANING = 0.4
QUESTION_FACTOR = 0.5
MEANING_GAP = 0.15  # units further than this below the best unit's meaning are left out
# Steps are short imperatives ("Open the job and click Resolve"): they sit further below a page's
# descriptive sentences in meaning than an answer sentence does, so a procedure gets more room.
PROCEDURE_GAP = 0.25
TOP_PASSAGES = 5
MAX_NEEDED = 3
PER_PASSAGE = 3
SHAPE_BONUS = 0.1  # a unit shaped like the answer asked for (`answer_shape`: a number, a cause, a date)
# Questions that ask for a fact (an amount, a limit, a time, what happens), not for steps to follow:
# "how many jobs can the phone hold?", "how long until our data is gone?", "what's the ceiling?".
_ASKS_FACT = re.compile(
    r"\bhow (many|much|long|far|big|large|often|soon|fast|old|frequently)\b|\b(max|maximum|minimum|limits?|ceiling|"
    r"cap|quota|threshold|default|percent\w*|size)\b|\bwhat happens\b|\b(when|which version|what version) "
    r"(will|does|do|is|are)\b|\bis (that|this|it) (known|a known)\b|\bfix coming\b|\bhow (soon|quickly)\b",
    re.IGNORECASE)
_NUMBER = re.compile(r"\d")
# A sentence stating a cause ("Likely cause: the new manager's paper checklists"), for a question asking why.
_STATES_CAUSE = re.compile(r"\b(because|due to|caused|causes?|reasons?|root cause|likely|as a result|since)\b",
                           re.IGNORECASE)


# Questions that ask for steps to follow ("how do I…", "what do we do?", "walk me through"): a procedure
# may lead their answer. "Why does…", "what happens if…" or "can we…" are answered by sentences.
_ASKS_STEPS = re.compile(
    r"\bhow (do|can|should|would|could|to|does one)\b|\bwhat (do|should|can|must) (i|we|they|you|he|she|our \w+) do\b|"
    r"\b(steps?|walk me through|instructions|procedure|set ?up|configure|install|enable|connect|fix|resolve|"
    r"change|add|remove|turn on|turn off)\b|\bwhere (do|can|should) (i|we)\b|\b(what now|now what|what next)\b",
    re.IGNORECASE)


# Questions that ask for the latest contact ("when did we last speak?", "most recent call?"): the newest
# records answer them, whatever sentence of an older one shares their words.
_ASKS_LATEST = re.compile(
    r"\b(last|latest|most recent(ly)?)\b.{0,30}\b(time|touch|contact|call|meeting|spoke|spoken|talk\w*|e-?mail|"
    r"heard|met|conversation|visit|check-?in|qbr|session|stand-?up)|\bwhen did (we|you|anyone|they) last\b",
    re.IGNORECASE)


def asks_latest(question: str) -> bool:
    """Whether a question asks when the latest contact was, rather than what a record says."""
    return bool(_ASKS_LATEST.search(question))


# Questions that ask what went on, on no particular topic ("anything new from Globex in the last week?",
# "what happened with Tyrell last month?"): with a time window, the records of that window answer them,
# newest first, whatever sentence shares a word with "new" or "happened".
_ASKS_WHATS_NEW = re.compile(
    r"\b(anything|what'?s|what is) (new|happening|going on)\b|\bwhat (has )?(happened|went on|changed)\b|"
    r"\bany (news|updates?|activity)\b|\b(activity|what'?s been going on)\b", re.IGNORECASE)


def asks_whats_new(question: str) -> bool:
    """Whether a question asks what went on (in some period), not about a topic."""
    return bool(_ASKS_WHATS_NEW.search(question))


# Questions that report the product misbehaving ("the app isn't picking the right list, why?", "parts still
# say in transit", "she's back to dispatcher the next morning"): the docs explain how it works and what to
# check, whatever their account's records say on the topic.
_REPORTS_PROBLEM = re.compile(
    r"\b(isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t|cannot|didn'?t|never|not (working|showing|syncing|"
    r"updating|appearing|picking|landing))\b.*|\b(still (say|says|show|shows)|keeps?|stuck|broken|wrong|"
    r"error|fails?|failing|back to)\b", re.IGNORECASE)


def reports_problem(question: str) -> bool:
    """Whether a question reports the product not doing what the asker expects."""
    return bool(_REPORTS_PROBLEM.search(question))


def asks_steps(question: str) -> bool:
    """Whether a question asks for steps to follow rather than a reason, an outcome or a yes/no."""
    return bool(_ASKS_STEPS.search(question))


_ASKS_CAUSE = re.compile(r"\b(why|reasons?|causes?|caused|behind|explain\w*|what happened)\b", re.IGNORECASE)
_ASKS_WHEN = re.compile(r"^\W*when\b|\bwhat (date|day|time)\b|\bdate\b", re.IGNORECASE)
_STATES_DATE = re.compile(rf"\b(\d{{4}}-\d\d-\d\d|{MONTH_PATTERN}\.? \d{{1,2}}|\d{{1,2}} {MONTH_PATTERN}|"
                          r"(mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.IGNORECASE)


def asks_cause(question: str) -> bool:
    """Whether a question asks why something is so ("what's behind the usage dip?"): the notes may say."""
    return bool(_ASKS_CAUSE.search(question))


def asks_when(question: str) -> bool:
    """Whether a question asks for a date ("when is the Contoso QBR?"): the mail that set it may say."""
    return bool(_ASKS_WHEN.search(question))


def asks_fact(question: str) -> bool:
    """Whether a question wants a fact (an amount, a limit, a date, an outcome) rather than a procedure."""
    return bool(_ASKS_FACT.search(question))


def answer_shape(question: str) -> re.Pattern[str] | None:
    """What a unit that answers the question looks like, when the question says: a number for "how many /
    how long", a stated cause for "why", a date for "when" (`best_sentences` favours such units)."""
    if asks_fact(question):
        return _NUMBER
    if asks_cause(question):
        return _STATES_CAUSE
    return _STATES_DATE if asks_when(question) else None


@dataclass(frozen=True)
class Extract:
    sentence: str
    passage: Passage
    score: float
    overlap: int
    unit: Unit | None = None
    meaning: float | None = None

    @property
    def procedure(self) -> Procedure | None:
        return self.unit.procedure if self.unit is not None else None


def question_terms(question: str, ignore: Iterable[str] = ()) -> set[str]:
    """Content words of a question, less the words that only name the account (they match everything)."""
    ignored = {stem(w) for w in ignore}
    return content_words(question) - ignored


_ASKS_WHO_WAS_THERE = frozenset({"attend", "attendee", "participant", "present", "join", "invite", "invitee"})


def _roster_line(text: str, question_words: set[str]) -> bool:
    """Whether a unit only lists who was at a meeting, for a question that does not ask who was there."""
    return lists_attendees(text) and not question_words & _ASKS_WHO_WAS_THERE


# Questions that ask what a meeting or a message came to ("what came out of our year-in-review meeting?",
# "recap the seat planning call", "what did we agree last time?"): the record's gist answers, not one sentence.
_ASKS_RECAP = re.compile(
    r"\b(what came out of|recap|summar(y|ise|ize)|takeaways?|outcomes? of|action items?|minutes|notes (from|of|on))\b|"
    r"\bwhat (did|have) (you and )?(we|you) (agree|decide|conclude|discuss|cover|talk about)\w*\b", re.IGNORECASE)


def asks_recap(question: str) -> bool:
    """Whether a question asks what a meeting or a message came to, as a whole."""
    return bool(_ASKS_RECAP.search(question))


def passage_units(passage: Passage) -> list[Unit]:
    """The quotable units of a passage (all its scoring chunks), less any that instruct the assistant."""
    if is_mostly_instruction(passage.body()):
        return []
    return [unit for unit in passage.units() if not is_instruction(unit.text)]


def steps(passage: Passage, limit: int = 8) -> list[str]:
    """The first procedure's numbered steps in a passage, without their numbers."""
    procedure = next((u.procedure for u in passage_units(passage) if u.procedure is not None), None)
    return list(procedure.steps[:limit]) if procedure else []


def _prior(passage: Passage, rank: int) -> float:
    return passage.rerank_score if passage.rerank_score is not None else 1 / (1 + rank)


def word_weights(question_words: set[str], texts: list[set[str]]) -> dict[str, float]:
    """How much each question word says among these candidate units: a word most of them share ("job")
    weighs little, a word only the answer holds ("refrigerant") much (inverse document frequency)."""
    n = len(texts)
    return {w: math.log(1 + (n + 1) / (1 + sum(w in t for t in texts))) for w in question_words}


def _lexical(question_words: set[str], words: set[str], weights: dict[str, float] | None,
             title_words: frozenset[str] | set[str] = frozenset()) -> float:
    """The share of the question's words (weighted) a text holds; its title's words count half."""
    weights = weights or dict.fromkeys(question_words, 1.0)
    held = sum(weights[w] for w in question_words & words) + 0.5 * sum(weights[w] for w in question_words & title_words)
    return min(1.0, held / (sum(weights.values()) or 1.0))


def _score(unit: Unit, passage: Passage, rank: int, question_words: set[str],
           title_words: set[str], shape: re.Pattern[str] | None = None,
           weights: dict[str, float] | None = None) -> Extract | None:
    words = content_words(unit.text)
    overlap = len(question_words & words)
    lexical = _lexical(question_words, words, weights, title_words)
    meaning = passage.unit_scores.get(unit.key)
    if meaning is None:
        if overlap == 0:
            return None
        score = lexical + RANK_WEIGHT / (1 + rank)
        return Extract(unit.text, passage, score, overlap, unit) if score >= MIN_SCORE else None
    if meaning < MIN_MEANING or (overlap == 0 and meaning < TOPIC_MEANING):
        return None
    score = MEANING_WEIGHT * meaning + WORDS_WEIGHT * lexical + PASSAGE_WEIGHT * _prior(passage, rank)
    if shape is not None and shape.search(unit.text):
        score += SHAPE_BONUS  # it holds what was asked for: an amount, a cause, a date
    if unit.text.endswith("?"):
        score *= QUESTION_FACTOR  # a doc's rhetorical question repeats the asker's words but answers nothing
    return Extract(unit.text, passage, score, overlap, unit, meaning)


def best_sentences(question_words: set[str], passages: list[Passage], *, limit: int = 4,
                   skip: frozenset[str] = frozenset(), shape: re.Pattern[str] | None = None) -> list[Extract]:
    """Up to `limit` units from the top passages, chosen best first, shown in passage order (`shape`: what an
    answer looks like, `answer_shape`: units of that shape gain)."""
    if not question_words:
        return []
    found: list[Extract] = []
    candidates = [(rank, passage, unit) for rank, passage in enumerate(passages[:TOP_PASSAGES])
                  for unit in passage_units(passage)
                  if unit.text not in skip and not _roster_line(unit.text, question_words)]
    weights = word_weights(question_words, [content_words(u.text) for _, _, u in candidates])
    titles = {id(p): content_words(p.chunk.title) for p in passages[:TOP_PASSAGES]}
    for rank, passage, unit in candidates:
        extract = _score(unit, passage, rank, question_words, titles[id(passage)], shape, weights)
        if extract is not None:
            found.append(extract)
    found.sort(key=lambda e: -e.score)
    best = max((e.meaning for e in found if e.meaning is not None), default=None)
    if best is not None:  # far below the best unit in meaning: on the edge of the topic, not an answer
        found = [e for e in found if e.meaning is None or e.meaning >= best - MEANING_GAP]
    picked = _few_per_passage(found, limit)
    order = {id(p): i for i, p in enumerate(passages)}
    return sorted(picked, key=lambda e: (order.get(id(e.passage), 99), -e.score))


def continuation(extract: Extract) -> str | None:
    """The sentence after an answer sentence in its paragraph ("…the reminder is skipped by default." →
    "Turn on X to send one 2 hours before."): a cause is often followed by its fix, a rule by its limit."""
    unit = extract.unit
    if unit is None or unit.paragraph < 0:
        return None
    units = passage_units(extract.passage)
    at = next((i for i, u in enumerate(units) if u.key == unit.key), None)
    if at is None or at + 1 >= len(units):
        return None
    after = units[at + 1]
    return after.text if after.paragraph == unit.paragraph and after.heading == unit.heading else None


def best_procedure(question_words: set[str], passages: list[Passage]) -> tuple[Passage, Procedure] | None:
    """The docs procedure (of the top two passages) that best answers the question, shown whole.

    A procedure scores by its best step's meaning and by the question words its heading and steps
    hold; a doc that shares words with the question but whose procedures do not still offers its
    first procedure (a how-to page usually has one).
    """
    best: tuple[float, Passage, Procedure] | None = None
    weights = word_weights(question_words, [content_words(u.text) for p in passages[:2] for u in passage_units(p)])
    for rank, passage in enumerate(passages[:2]):
        # Steps are weighed against their own page's best sentence: a stray sentence of another page
        # ("Fix the cause and click Retry") must not hide the procedure of the page that answers.
        top_meaning = max(passage.unit_scores.values(), default=0.0)
        if passage.chunk.source.value != "docs":
            continue
        units = passage_units(passage)
        procedures = list(dict.fromkeys(u.procedure for u in units if u.procedure is not None))
        if not procedures or not answers_question(question_words, [passage]):
            continue
        for order, procedure in enumerate(procedures):
            meaning = max((passage.unit_scores.get(u.key, 0.0) for u in units if u.procedure is procedure),
                          default=0.0)
            if not procedure.ordered or (top_meaning and meaning < top_meaning - PROCEDURE_GAP):
                continue  # a bullet list, or steps that answer less well than the best sentence
            words = content_words(" ".join((procedure.heading, *procedure.steps)))
            lexical = _lexical(question_words, words, weights)
            score = MEANING_WEIGHT * meaning + WORDS_WEIGHT * lexical + PASSAGE_WEIGHT * _prior(passage, rank) \
                - 0.01 * order
            if best is None or score > best[0]:
                best = (score, passage, procedure)
    return (best[1], best[2]) if best else None


def _few_per_passage(found: list[Extract], limit: int) -> list[Extract]:
    """Prefer breadth: at most `PER_PASSAGE` sentences from any one passage, one per procedure."""
    picked: list[Extract] = []
    per_passage: dict[int, int] = {}
    procedures: set[Procedure] = set()
    for extract in found:
        n = per_passage.get(id(extract.passage), 0)
        if n >= PER_PASSAGE or (extract.procedure is not None and extract.procedure in procedures):
            continue
        per_passage[id(extract.passage)] = n + 1
        if extract.procedure is not None:
            procedures.add(extract.procedure)
        picked.append(extract)
        if len(picked) >= limit:
            break
    return picked


def distinctive_words(question: str, question_words: set[str]) -> frozenset[str]:
    """The question's content words that are no common English word (a code, a person's or a product's name:
    "cnry-7f3a", "Marisol"): one of them in a record is evidence, wherever the record is."""
    from retrieval.typos import english_words

    common = english_words()
    rare = {stem(american(t)) for t in tokens(question) if len(t) > 2 and t not in common}
    return frozenset(question_words & rare)


def answers_question(question_words: set[str], passages: list[Passage],
                     distinctive: frozenset[str] = frozenset()) -> bool:
    """Whether a top passage answers: one of its units is close in meaning; or it holds enough of the
    question's content words (half, up to three, at least two) and is not off-topic in meaning; or it is
    on the question's topic in meaning (`TOPIC_MEANING`) and shares one of its words.

    One shared word alone is not enough for a doc: "the weather in Paris tomorrow" must not be answered by
    a doc that mentions "tomorrow's jobs", nor "renew my passport" by the page on renewing a subscription;
    nor for records spanning several accounts. In one account's records it is.
    """
    needed = min(MAX_NEEDED, max(1, math.ceil(len(question_words) / 2)))
    # Records of many accounts (a question naming none) are as general as the docs: "book me a meeting room for
    # Friday" must not be answered by whichever note mentions a Friday.
    one_account = len({p.chunk.account_id for p in passages if p.chunk.source is not SourceKind.DOCS}) <= 1
    for passage in passages[:TOP_PASSAGES]:
        if not passage_units(passage):
            continue
        meanings = passage.unit_scores.values()
        if meanings and max(meanings) >= ANSWER_MEANING:
            return True
        if meanings and max(meanings) < MIN_MEANING:
            continue
        words = content_words(passage.body()) | content_words(passage.chunk.title)
        shared = len(question_words & words)
        on_topic = bool(meanings) and max(meanings) >= TOPIC_MEANING
        # The docs are many and general: one word in common says little. An account's own records are few
        # and about the account asked of: one word in common ("What did Ann ask for?") may be the answer.
        if passage.chunk.source is not SourceKind.DOCS and not one_account:
            # Many accounts' notes: common words alone prove nothing; a distinctive one (a code, a name) does.
            if (shared >= needed and on_topic) or distinctive & words:
                return True
            continue
        least = 1 if passage.chunk.source is not SourceKind.DOCS else min(2, len(question_words))
        if shared >= max(needed, least) or (shared and on_topic):
            return True
    return False


SECTION_PASSAGES = 3  # the docs whose sections may answer: the reranker's best few
SECTION_UNITS = 5  # a section shown whole, up to this many sentences, steps or items
SECTION_WORDS_WEIGHT = 0.2  # a section holding the question's own words gains up to this much over its meaning
SECTIONS_SHOWN = 2  # the best section, and the runner-up when it scores within SECTION_CLOSE of it
SECTION_CLOSE = 0.06


def _section_words(passage: Passage, heading: str, units: list[Unit]) -> set[str]:
    """The content words of a section read whole: its text, heading and page title."""
    return content_words(" ".join(u.text for u in units)) | content_words(heading) | content_words(passage.chunk.title)


def closest_section_meaning(passages: list[Passage]) -> float:
    """How close in meaning the nearest doc section of the top docs is to the question (0.0 when none was
    scored): read whole with its heading, a section may be near where none of its sentences is."""
    return max((score for p in passages[:SECTION_PASSAGES] if p.chunk.source is SourceKind.DOCS
                for score in p.section_scores.values()), default=0.0)


def answering_sections(passages: list[Passage], shown: str,
                      question_words: set[str]) -> list[tuple[Passage, str, list[Unit]]]:
    """The doc sections that answer the question read whole (heading and text, `Passage.section_scores`), beyond
    what the reply (`shown`) already quotes: the sentence model often scores an answer sentence
    low while its section, read with its heading, is the closest of all ("Transfer stock" for "parts still
    say in transit"). A section also gains by holding the question's own words. The best one, and the
    runner-up when the two score alike (the model cannot tell which answers); their sentences the reply
    already holds are left out; empty when no section was scored or the reply holds them all."""
    scored = []
    for passage in passages[:SECTION_PASSAGES]:
        if passage.chunk.source is not SourceKind.DOCS:
            continue
        sections = passage.sections()
        for heading, score in passage.section_scores.items():
            shared = len(question_words & _section_words(passage, heading, sections.get(heading, [])))
            scored.append((score + SECTION_WORDS_WEIGHT * shared / max(1, len(question_words)), passage, heading))
    if not scored:
        return []
    scored.sort(key=lambda s: -s[0])
    found = []
    for score, passage, heading in scored[:SECTIONS_SHOWN]:
        if score < scored[0][0] - SECTION_CLOSE:
            break
        units = [u for u in passage_units(passage) if u.heading == heading and u.text not in shown]
        if units:
            found.append((passage, heading, units[:SECTION_UNITS]))
    return found
