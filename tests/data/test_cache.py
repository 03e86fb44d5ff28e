"""The cache of checks kept between builds (second_opinion.cache): a changed input, schema, code or
package version misses; a corrupt, truncated or misplaced entry is ignored; and no gate is weaker
with a warm cache than with a cold one."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from second_opinion import cache, integrity, load, quality, readability, schemas, yamlfile
from second_opinion.problems import ContentError

TODAY = datetime.date(2026, 6, 1)
HARD = (
    "Notwithstanding institutional considerations, comprehensive interdisciplinary documentation "
    "substantially facilitates individualized therapeutic decision-making."
)


@pytest.fixture(autouse=True)
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test starts with an empty cache of its own, never the project's."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache, "FOLDER", folder)
    readability.counts.cache_clear()  # the in-process memo would hide what the stored table does
    return folder


def entries(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / kind).glob("*.json"))


def test_a_stored_value_comes_back(empty_cache):
    cache.put("kind", cache.key("a"), {"x": [1, 2]})
    assert cache.get("kind", cache.key("a")) == {"x": [1, 2]}
    assert cache.get("kind", cache.key("b")) is None
    assert not list((empty_cache / "kind").glob("*.partial"))


def test_keys_keep_their_parts_apart():
    assert cache.key("ab", "c") != cache.key("a", "bc")


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("[1,2]", "[1,3]"),  # a changed payload: its checksum no longer fits
        lambda text: text[: len(text) // 2],  # an interrupted write
        lambda text: "",
        lambda text: "not a checksum\n{}",
    ],
)
def test_a_damaged_entry_is_ignored(empty_cache, damage):
    name = cache.key("a")
    cache.put("kind", name, {"x": [1, 2]})
    (entry,) = entries(empty_cache, "kind")
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    assert cache.get("kind", name) is None


def test_an_entry_copied_to_another_name_is_ignored(empty_cache):
    cache.put("kind", cache.key("a"), True)
    (entry,) = entries(empty_cache, "kind")
    (empty_cache / "kind" / f"{cache.key('b')}.json").write_bytes(entry.read_bytes())
    assert cache.get("kind", cache.key("b")) is None


def test_an_unwritable_cache_only_stops_saving(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(cache, "FOLDER", blocker / "cache")  # a folder inside a file cannot exist
    cache.put("kind", cache.key("a"), True)
    assert cache.get("kind", cache.key("a")) is None


def test_code_changes_with_a_source_file_and_a_package_version(tmp_path, monkeypatch):
    source = tmp_path / "module.py"
    source.write_text("A = 1\n", encoding="utf-8")
    before = cache.code(source, packages=("jsonschema",))
    source.write_text("A = 2\n", encoding="utf-8")
    assert cache.code(source, packages=("jsonschema",)) != before
    edited = cache.code(source, packages=("jsonschema",))
    monkeypatch.setattr(cache.importlib.metadata, "version", lambda name: "0.0-another")
    assert cache.code(source, packages=("jsonschema",)) != edited


# Schema validation


def _document(path: Path) -> yamlfile.Document:
    document, problems = yamlfile.read(path, path.name)
    assert document and not problems
    return document


def test_a_valid_file_is_remembered_and_a_changed_one_is_validated_again(minimal_project, empty_cache):
    schema_dir = minimal_project / "data" / "schemas"
    questions = minimal_project / "data" / "questions.yml"
    assert schemas.check(_document(questions), schema_dir, "questions") == []
    assert len(entries(empty_cache, "valid")) == 1
    assert schemas.check(_document(questions), schema_dir, "questions") == []  # a hit: nothing new stored
    assert len(entries(empty_cache, "valid")) == 1

    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace("audience:", "audiance:", 1), encoding="utf-8")
    problems = schemas.check(_document(questions), schema_dir, "questions")
    assert any("'audiance' is not a known field" in p.message for p in problems)
    assert len(entries(empty_cache, "valid")) == 1  # problems are never stored


def test_a_changed_schema_validates_a_remembered_file_again(minimal_project):
    schema_dir = minimal_project / "data" / "schemas"
    questions = _document(minimal_project / "data" / "questions.yml")
    assert schemas.check(questions, schema_dir, "questions") == []
    schema_file = schema_dir / "questions.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    item = schema["properties"]["questions"]["items"]
    item["required"] = [*item["required"], "extra"]
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    problems = schemas.check(questions, schema_dir, "questions")
    assert problems and all(p.message == "this required field is missing" for p in problems)


def test_a_forged_valid_entry_does_not_pass_a_bad_file(minimal_project, empty_cache):
    """An entry for an invalid file, claiming it valid without a checksum that fits, is not trusted."""
    schema_dir = minimal_project / "data" / "schemas"
    questions = minimal_project / "data" / "questions.yml"
    assert schemas.check(_document(questions), schema_dir, "questions") == []
    (valid,) = entries(empty_cache, "valid")
    questions.write_text(questions.read_text(encoding="utf-8").replace("audience:", "audiance:", 1), encoding="utf-8")
    bad = _document(questions)
    bad_key = cache.key(
        schemas._code(), "questions", *(p for pair in schemas._texts(schema_dir) for p in pair), repr(bad.data)
    )
    forged = valid.read_text(encoding="utf-8").replace(valid.stem, bad_key)  # the right key, a stale checksum
    (empty_cache / "valid" / f"{bad_key}.json").write_text(forged, encoding="utf-8")
    assert schemas.check(bad, schema_dir, "questions")


# Reading counts


def test_counts_are_kept_and_a_changed_sentence_is_counted(empty_cache):
    first = readability.Counter("en")
    easy = first.counts("We can help you.")
    first.save()
    (table,) = entries(empty_cache, "counts")
    assert json.loads(table.read_text(encoding="utf-8").partition("\n")[2])["value"] == {
        "We can help you.": [easy.sentences, easy.words, easy.syllables]
    }
    second = readability.Counter("en")
    assert second.known == {"We can help you.": easy}
    assert second.counts(HARD) == readability.counts(HARD, "en")
    assert second.new


def test_a_table_in_another_shape_is_ignored(empty_cache):
    counter = readability.Counter("en")
    cache.put("counts", counter.key, {HARD: [1, 1, 1], "Fine.": "1 1 1"})  # intact, but not what save writes
    assert readability.Counter("en").known == {}


def test_counts_of_another_language_or_code_are_separate(monkeypatch):
    english = readability.Counter("en").key
    assert readability.Counter("es").key != english
    monkeypatch.setattr(cache, "code", lambda *files, packages=(): "another version of readability.py")
    assert readability.Counter("en").key != english


def test_gates_are_the_same_with_a_warm_cache_as_with_a_cold_one(minimal_project, empty_cache):
    guide = next((minimal_project / "data" / "guides").glob("*.yml"))
    guide.write_text(guide.read_text(encoding="utf-8").replace("summary: ", f"summary: {HARD} ", 1), encoding="utf-8")

    def report() -> quality.Report:
        readability.counts.cache_clear()
        content = load.load(minimal_project / "data", today=TODAY, root=minimal_project)
        return quality.check(content, today=TODAY)

    cold = report()
    assert entries(empty_cache, "counts") and entries(empty_cache, "valid")
    warm = report()
    assert warm.readings == cold.readings
    assert [str(p) for p in warm.errors] == [str(p) for p in cold.errors]
    assert any(HARD in p.message for p in cold.errors)  # the hard summary is refused, warm or cold


def test_the_link_check_keeps_each_page_and_still_finds_a_broken_anchor(empty_cache, tmp_path):
    """integrity.checked_pages keeps each page's ids and links; the check itself runs every time."""
    pages = {"a.md": "# A\n\nSee [the part](b.md#part).\n", "b.md": "# B\n\n## Part\n"}
    assert integrity.checked_pages(pages, {}, set(), [], tmp_path) == pages
    assert len(entries(empty_cache, "page-links")) == 2
    assert integrity.checked_pages(pages, {}, set(), [], tmp_path) == pages
    with pytest.raises(ContentError, match="leads to no heading or anchor '#part' on b.md"):
        integrity.checked_pages({**pages, "b.md": "# B\n\n## Another part\n"}, {}, set(), [], tmp_path)
