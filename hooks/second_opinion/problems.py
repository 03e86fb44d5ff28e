"""Content problems: what is wrong, where (file, line, field), said in plain words."""

from __future__ import annotations

import dataclasses
import os


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, shown on the pull request."""
        message = f"{self.field}: {self.message}" if self.field else self.message
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.file},line={self.line or 1}::{message}"


class ContentError(Exception):
    """Raised with every problem found, so an editor can fix them all in one go.

    `reviews` are the review-date findings of content that loaded (overdue, due soon), which
    `make check` reports beside the problems."""

    def __init__(self, problems: list[Problem], *, reviews: tuple[list[Problem], list[Problem]] = ([], [])):
        self.problems = sorted(set(problems))
        self.reviews = reviews
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        heading = f"The content has {count} problem{'s' if count != 1 else ''} to fix:"
        return "\n".join([heading, *(f"  {problem}" for problem in self.problems)])


def display_path(path: str | os.PathLike, root: str | os.PathLike) -> str:
    """A path as an editor sees it in the repository: relative to the project root if inside."""
    relative = os.path.relpath(path, root)
    return str(path) if relative.startswith("..") else relative.replace(os.sep, "/")


def field_path(path: tuple) -> str:
    """A value's place as an editor reads it: triggers[3].label."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
