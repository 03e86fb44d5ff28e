"""Clinical reviews: which clinician checked which content, and when.

data/reviewers.yml (and a hospital's local/reviewers.yml, for its own clinicians' approval) lists
reviewers and what each review covers. A review covers content only if it is no older than the
content's last update: an edit after a sign-off needs a new one. Pages show "Reviewed by ..." from
the result, and say that clinical review is pending everywhere else.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from . import schemas, yamlfile
from .model import ClinicalReview, Content, Review
from .problems import ContentError, Problem, display_path, field_path


def attach(content: Content, data_dir: Path, local_dir: Path | None, *, today: datetime.date, root: Path) -> Content:
    """`content` with each review's `clinical` set from the reviewer files, or ContentError."""
    problems: list[Problem] = []
    signed: dict[str, list[ClinicalReview]] = {}
    for folder in filter(None, (data_dir, local_dir)):
        path = folder / "reviewers.yml"
        if not path.is_file():
            if folder == data_dir:
                problems.append(Problem(display_path(path, root), 0, "", "this file is missing"))
            continue
        document, found = yamlfile.read(path, display_path(path, root))
        if document:
            found += schemas.check(document, data_dir / "schemas", "reviewers")
        problems += found
        if found or document is None:
            continue
        for index, reviewer in enumerate(document.data["reviewers"]):
            for number, review in enumerate(reviewer["reviews"]):
                where = ("reviewers", index, "reviews", number)
                date = datetime.date.fromisoformat(review["date"])
                if date > today:
                    problems.append(
                        Problem(
                            document.file,
                            document.line((*where, "date")),
                            field_path((*where, "date")),
                            f"the review date {date} is in the future",
                        )
                    )
                record = ClinicalReview(
                    reviewer["name"].strip(),
                    reviewer["role"].strip(),
                    (reviewer.get("credentials") or "").strip() or None,
                    date,
                )
                for position, covered in enumerate(review["covers"]):
                    if covered.startswith("guides/") and covered[7:] not in content.guides:
                        problems.append(
                            Problem(
                                document.file,
                                document.line((*where, "covers", position)),
                                field_path((*where, "covers", position)),
                                f"there is no guide '{covered[7:]}' in data/guides/",
                            )
                        )
                    signed.setdefault(covered, []).append(record)
    if problems:
        raise ContentError(problems)

    def clinical(review: Review, *keys: str) -> Review:
        current = [r for key in keys for r in signed.get(key, []) if r.date >= review.reviewed]
        return dataclasses.replace(review, clinical=max(current, key=lambda r: r.date)) if current else review

    return dataclasses.replace(
        content,
        trigger_review=clinical(content.trigger_review, "triggers"),
        question_review=clinical(content.question_review, "questions"),
        sheet_review=clinical(content.sheet_review, "sheets"),
        letters=dataclasses.replace(content.letters, review=clinical(content.letters.review, "letters")),
        comparison=dataclasses.replace(content.comparison, review=clinical(content.comparison.review, "compare")),
        plan=dataclasses.replace(content.plan, review=clinical(content.plan.review, "plan")),
        guides={
            slug: dataclasses.replace(guide, review=clinical(guide.review, "guides", f"guides/{slug}"))
            for slug, guide in content.guides.items()
        },
    )
