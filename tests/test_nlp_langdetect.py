"""Language of an item (nlp/langdetect.py): function words, then Bokmål / Nynorsk / English word
forms, then lingua (low-accuracy mode) for what both leave open; short texts keep their declared
language. Texts below are from the constructed set's tuning part (never the held-out parts)."""

from __future__ import annotations

import pytest

from nlp import langdetect
from nlp.options import NlpOptions

# titles + descriptions no function word decides; lingua alone (either accuracy mode) gets some of
# them wrong, the word forms (-ar/-ingar endings, "ein", Ordbank Bokmål forms) get them right
WORD_FORM_CASES = [
    ("Meld. St. 33 (2024–2025) - Status, fremdrift, utfordringer og risiko i gjennomføring av "
     "langtidsplanen for forsvarssektoren 2025–2036 Status for langtidsplanen for Forsvaret.",
     "stortinget", "nb"),
    ("Meld. St. 21 (2024–2025) - Helse for alle Folkehelsemelding.", "stortinget", "nb"),
    ("Endringar i statsbudsjettet 2025 under Energidepartementet Ny sak", "stortinget", "nn"),
    ("Representantforslag om ein konkret og tidfesta opptrappingsplan for utvikling av "
     "distriktspsykiatriske senter (DPS) Ny sak", "stortinget", "nn"),
]


@pytest.mark.parametrize(("text", "source", "expected"), WORD_FORM_CASES)
def test_word_forms_decide_what_function_words_leave_open(text, source, expected):
    assert langdetect._fast(" ".join(text.split())) is None  # not the function-word path
    assert langdetect._form_rule(NlpOptions()).decide(text) == expected
    assert langdetect.detect(text, None, source) == expected


def test_a_tie_goes_to_lingua():
    rule = langdetect._form_rule(NlpOptions())
    assert rule.decide("Dokument nr. 7 Oslo") is None
    assert langdetect.detect("The proposal for a directive on corporate sustainability due "
                             "diligence", None, None) == "en"


def test_short_texts_keep_their_declared_or_source_language():
    assert langdetect.detect("Høring", "nn", None) == "nn"  # a declared language wins
    assert langdetect.detect("Omnibus", None, "eu") == "en"  # else the source's language
    assert langdetect.detect("Høyring", None, None) == "nn"  # a marker decides without either
    # longer texts: the evidence can overrule a wrong declaration
    assert langdetect.detect("Høring om endringer i loven om virksomheters åpenhet", "en",
                             None) == "nb"


def test_the_word_memo_is_bounded_and_changes_nothing(monkeypatch):
    text = WORD_FORM_CASES[0][0]
    rule = langdetect._FormRule(NlpOptions())
    expected = rule.scores(text)
    small = langdetect._FormRule(NlpOptions())
    monkeypatch.setattr(langdetect, "_MEMO_MAX", 5)
    assert small.scores(text) == expected
    assert small.scores(text) == expected
    assert len(small._memo) == 5
