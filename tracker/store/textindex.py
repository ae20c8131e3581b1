"""The search index's second text: every word stemmed (Snowball) and ASCII-folded.

`items_fts` keeps the items' own words (diacritics kept: *får* is not *far*). Beside it,
`items_norm` (FTS5, one row per item, same rowid) holds the same columns with every word
replaced by its *key*: the Norwegian (or, for English items, English) Snowball stem, folded to
ASCII the way advisers type Norwegian without æøå::

    høringene → høring → horing        hoeringer → hoering → horing
    menneskerettigheter → menneskerett  åpenhetsloven → åpen → apen

One key per word, in order, so FTS5 phrases and NEAR work on the keys exactly as on the words.
After the keys, each column holds the *word forms* a prefix search needs: a stem is not where
a word begins to differ (*åpenhetsloven* → *apen*, so «åpenhets*» found no key starting with
*apenhets*). Every word whose folded form is not its key is there once more, folded and
marked with a leading ``å`` (`FORM_MARK`): *åapenhetsloven*. A key never holds an *å* (`fold`
makes it *a*), so no key, phrase or NEAR of keys meets a form, and a prefix matches the words
that begin with it: ``"apenhets"* OR "åapenhets"*`` (`word_match`).

SQL triggers (migration m0401) keep `items_norm` in step with `items`; they call the SQL
function ``ncp_norm(text, language)`` (`index_text`), which `register` adds to every connection
`open_db` makes. Search turns each query word into its keys with the same functions
(`word_keys`), so nothing scans the index vocabulary.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from functools import lru_cache

import Stemmer

from nlp.textclean import INVISIBLE_CHARACTERS

#: characters a word may hold without being split there, and that are no part of it: the soft
#: hyphen (regjeringen.no's pages are full of them: «menneske\u00adrettigheter»), zero-width and bidi
#: controls (nlp.textclean removes the same before tagging); the stored text keeps them
_INVISIBLE = "".join(sorted(INVISIBLE_CHARACTERS))
_DROP_INVISIBLE = str.maketrans(dict.fromkeys(_INVISIBLE))
#: one word: letters and digits (underscore is a separator, as in FTS5's unicode61 tokenizer),
#: read whole through invisible characters inside it
WORD = re.compile(rf"[^\W_]+(?:[{re.escape(_INVISIBLE)}]+[^\W_]+)*", re.UNICODE)

_STEMMERS = {"nb": Stemmer.Stemmer("norwegian"), "en": Stemmer.Stemmer("english")}
#: the mark of a word form in the index (see the module doc): `fold` turns every å into a, so no
#: key holds one
FORM_MARK = "å"
_FOLD = str.maketrans({"å": "a", "æ": "ae", "ø": "o", "ß": "ss", "þ": "th", "ð": "d", "ł": "l"})


def stem_language(language: str | None) -> str:
    """The stemmer an item's text gets: English for English items, Norwegian otherwise."""
    return "en" if (language or "").lower().startswith("en") else "nb"


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """ASCII folding shared by a word and its ASCII spellings: høring, hoering, horing → horing.

    æ/ø/å and their digraphs (ae/oe/aa) collapse to one letter; other accents are dropped
    (é → e, ü → u).
    """
    s = word.lower().translate(_FOLD).translate(_DROP_INVISIBLE)
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.replace("aa", "a").replace("oe", "o").replace("ae", "e")


@lru_cache(maxsize=1 << 18)
def key(word: str, language: str = "nb") -> str:
    """The index key of one word (lower-case, stemmed in `language`, folded)."""
    w = unicodedata.normalize("NFC", word.lower().translate(_DROP_INVISIBLE))
    return fold(_STEMMERS[language].stemWord(w))


def word_keys(word: str) -> list[str]:
    """The keys a query word may have in the index (Norwegian and English stems), distinct."""
    out = [key(word, "nb")]
    en = key(word, "en")
    if en not in out:
        out.append(en)
    return out


def quoted(text: str) -> str:
    """An FTS5 string (a key or a run of keys), quoted."""
    return '"' + text.replace('"', '""') + '"'


def word_match(word: str, prefix: bool = False) -> str:
    """An FTS5 expression over `items_norm` for one query word: its Norwegian or English key; a
    prefix (åpenhets*) the words that begin with it: a key, or the form of a word whose key is not
    the word (åpenhetsloven's is apen; klima's klim)."""
    if prefix:
        folded = fold(word)
        return f"{quoted(folded)}* OR {quoted(FORM_MARK + folded)}*"
    return " OR ".join(quoted(k) for k in word_keys(word))


def phrase_match(words: list[str]) -> str:
    """An FTS5 expression for words next to each other, in this order: the Norwegian keys' run or
    the English keys' run."""
    alts: list[str] = []
    for lang in ("nb", "en"):
        run = quoted(" ".join(key(w, lang) for w in words))
        if run not in alts:
            alts.append(run)
    return " OR ".join(alts)


def norm_text(text: str | None, language: str | None = None) -> str:
    """`text` as index keys, one per word, space-separated."""
    if not text:
        return ""
    lang = stem_language(language)
    return " ".join(key(w, lang) for w in WORD.findall(text))


def index_text(text: str | None, language: str | None = None) -> str:
    """A column of `items_norm` (SQL ``ncp_norm``): `text`'s keys, one per word, then the marked
    forms of its words whose folded form is not their key, each once (see the module doc)."""
    if not text:
        return ""
    lang = stem_language(language)
    words = WORD.findall(text)
    keys = [key(w, lang) for w in words]
    forms = dict.fromkeys(f for w, k in zip(words, keys, strict=True) if (f := fold(w)) != k)
    return " ".join(keys + [FORM_MARK + f for f in forms])


def fold_phrase(text: str | None) -> str | None:
    """`fold` over a whole value, its spaces made single (SQL ``ncp_fold``): "Under  behandling",
    "UNDER BEHANDLING" and "under behandling" are one value; SQLite's own lower() folds ASCII
    letters only, so "Åpen" and "åpen" would differ."""
    return None if text is None else fold(" ".join(text.split()))


def register(conn: sqlite3.Connection) -> None:
    """Add ``ncp_norm(text, language)`` (`index_text`: the index triggers call it) and
    ``ncp_fold(text)`` (a search filter on a source's own word) to a connection."""
    conn.create_function("ncp_norm", 2, index_text, deterministic=True)
    conn.create_function("ncp_fold", 1, fold_phrase, deterministic=True)
