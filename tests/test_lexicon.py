"""The lexicon file (nlp/data/lexicon.yaml): it validates, a broken copy is refused, every list is read."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from dyadlens.errors import DataFileError
from dyadlens.nlp import lexicon as lexicon_module
from dyadlens.nlp.lexicon import LEXICON_FILE, CodeTable, Lexicon, list_names, load_lexicon
from dyadlens.resources import Resources

NLP = Path(lexicon_module.__file__).parent
SECTIONS = {f.name: getattr(lexicon_module, str(f.type)) for f in fields(Lexicon)}


def shipped_data() -> dict:
    return yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_lexicon_validates_and_every_list_has_words() -> None:
    lexicon = load_lexicon()
    for section_name, section in SECTIONS.items():
        for name in list_names(section):
            assert getattr(getattr(lexicon, section_name), name), f"{section_name}.{name} is empty"


def test_resources_load_the_shipped_lexicon_once() -> None:
    resources = Resources()
    assert resources.lexicon is resources.lexicon
    assert resources.lexicon == load_lexicon()


def test_derived_lists_come_from_the_file() -> None:
    lexicon = load_lexicon()
    speech, modality = lexicon.speech, lexicon.modality
    assert speech.reporting_verbs == speech.attribution_verbs - speech.non_reporting_verbs
    assert "say" in speech.reporting_verbs and "praise" not in speech.reporting_verbs
    assert modality.modal_aux == modality.possible_aux | modality.planned_aux | modality.recommended_aux


def test_stance_code_tables_take_the_longest_prefix_else_the_default() -> None:
    table = CodeTable({"16": "131", "163": "1312"}, default="130")
    assert table.code_for("163") == "1312"
    assert table.code_for("164") == "131"
    assert table.code_for("042") == "130"


def _drop_list(data: dict) -> None:
    del data["speech"]["appeal_verbs"]


def _add_number(data: dict) -> None:
    data["modality"]["possible_aux"].append(42)


def _repeat_word(data: dict) -> None:
    data["speech"]["attribution_verbs"].append("say")


def _add_section(data: dict) -> None:
    data["slang"] = {"words": ["innit"]}


def _add_list(data: dict) -> None:
    data["events"]["surprise_verbs"] = ["astonish"]


def _drop_section(data: dict) -> None:
    del data["dates"]


def _capitalise(data: dict) -> None:
    data["actors"]["geographic_nouns"].append("Ocean")


def _two_words(data: dict) -> None:
    data["offices"]["state_organs"].append("foreign ministry")


def _unquoted_code(data: dict) -> None:
    data["events"]["hostile_roots"].append(4)


def _bad_code(data: dict) -> None:
    data["events"]["force_roots"].append("19x")


def _no_default(data: dict) -> None:
    del data["events"]["threat_codes"]["default"]


def _bad_modality(data: dict) -> None:
    data["events"]["intrinsic_modalities"]["11"] = ["rumoured"]


def _not_a_list(data: dict) -> None:
    data["dates"]["plan_nouns"] = "plan"


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (_drop_list, "speech.appeal_verbs: missing"),
        (_add_number, "modality.possible_aux: item 7 is not a word: int 42"),
        (_repeat_word, "speech.attribution_verbs: 'say' is listed twice"),
        (_add_section, "unknown section 'slang'"),
        (_add_list, "events: unknown list 'surprise_verbs'"),
        (_drop_section, "missing section 'dates'"),
        (_capitalise, "actors.geographic_nouns: item 15 'Ocean' must be one lower-case word"),
        (_two_words, "offices.state_organs: item 13 'foreign ministry' must be one lower-case word"),
        (_unquoted_code, "events.hostile_roots: item 7 is not a CAMEO code: int 4 (quote codes"),
        (_bad_code, "events.force_roots: item 4 '19x' is not a CAMEO code"),
        (_no_default, "events.threat_codes: needs a 'default' code"),
        (_bad_modality, "events.intrinsic_modalities.11: item 1 str 'rumoured' is not a modality"),
        (_not_a_list, "dates.plan_nouns: expected a list, got str 'plan'"),
    ],
)
def test_a_broken_lexicon_is_refused_naming_the_file_and_the_problem(tmp_path: Path, damage, problem: str) -> None:
    data = shipped_data()
    damage(data)
    path = write(tmp_path, data)
    with pytest.raises(DataFileError) as error:
        load_lexicon(path)
    assert error.value.path == str(path)
    assert str(path) in str(error.value)
    assert any(p.startswith(problem) for p in error.value.problems), error.value.problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = shipped_data()
    _drop_list(data)
    _repeat_word(data)
    _add_section(data)
    with pytest.raises(DataFileError) as error:
        load_lexicon(write(tmp_path, data))
    assert len(error.value.problems) == 3


def test_a_missing_section_is_one_problem(tmp_path: Path) -> None:
    data = shipped_data()
    _drop_section(data)
    with pytest.raises(DataFileError) as error:
        load_lexicon(write(tmp_path, data))
    assert error.value.problems == ["missing section 'dates'"]


def test_a_file_that_is_not_a_mapping_of_sections_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("- say\n- tell\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="expected a mapping of sections"):
        load_lexicon(path)
    path.write_text("speech: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_lexicon(path)


def _attributes_read(source: str) -> set[str]:
    return set(re.findall(r"\.([a-z_]+)\b", source))


def test_every_list_is_read_by_the_rules() -> None:
    """A list counts as read when a module besides the loader reads it, or reads a list derived from it."""
    read = set().union(
        *(_attributes_read(p.read_text(encoding="utf-8")) for p in NLP.glob("*.py") if p.name != "lexicon.py")
    )
    unread = []
    for section_name, section in SECTIONS.items():
        derived = {f.name for f in fields(section) if not f.init}
        feeds = _attributes_read(inspect.getsource(section.__post_init__)) if derived else set()
        for name in list_names(section):
            if name not in read and not (name in feeds and derived & read):
                unread.append(f"{section_name}.{name}")
    assert not unread, f"lists no rule reads: {unread}"


def test_the_file_documents_every_list() -> None:
    header = LEXICON_FILE.read_text(encoding="utf-8").split("\nspeech:\n")[0]
    undocumented = [
        f"{section_name}.{name}"
        for section_name, section in SECTIONS.items()
        for name in list_names(section)
        if not re.search(rf"\b{name}\b", header)
    ]
    assert not undocumented
