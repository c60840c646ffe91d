"""Lemma n-grams over many answers at once: fast tokenising, distinctive key phrases, TF-IDF and
central-and-diverse selection. Shared by summaries (`summarise.py`) and discovery (`discover.py`).

Aggregate jobs see up to 100,000 answers at a time, so this module does not run spaCy's tokenizer
per answer: one regular expression splits the lower-cased text and each distinct word is looked up
once in the same lower-case lemma tables the pipelines use (`engage.nlp.text.lemma_table`). Words
become integer ids, n-grams become integer codes, and everything after that is numpy and scipy
sparse matrices.
"""

from __future__ import annotations

import math
import os
import re
from array import array
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from engage.nlp.civility import is_civil
from engage.nlp.text import LANGUAGES, ZIPF_COMMON, lemma_table, stop_words, zipf

# A redaction placeholder ([NAVN], [PHONE] ...), a word (starts with a letter; digits and inner
# hyphens allowed, so "co2", "s-tog" and "e-scooter" stay whole while "2030" and "11th" are dropped), or
# punctuation that ends a phrase. Placeholders and punctuation become boundaries no n-gram crosses.
TOKEN_RE = re.compile(r"\[[^\W\d_]+\]|(?<![^\W_])[^\W\d_][^\W_]*(?:-[^\W_]+)*|[.!?;:,()\"“”„«»…–—\n\x1e]")
_SEPARATOR_ID = -1
_FIRST_SPLIT_ID = -2  # from here down: a raw piece that is not one word ("byen.", "2030", "bus/metro")
_CHUNK_END = "\x02"  # ends an answer in a chunk cut at white space (not white space itself)
_LINE_BREAK = "\x03"  # stands for a line break, which ends a phrase like punctuation
# Chunks are cut at white space (`str.split`, faster than a regular expression over long text);
# each distinct raw piece ("byen.", "[navn],", "co2-udledningen") is then cut by TOKEN_RE once
# (`_WordIds`), so the words and boundaries are exactly TOKEN_RE's.
_PLACEHOLDER_FULL = re.compile(r"\[[^\W\d_]+\]")
CHUNK = 2000  # answers per chunk

# Fragments that the word pattern cuts out of English contractions ("don't" -> "don", "t").
EXTRA_STOP = frozenset(
    {
        "don",
        "doesn",
        "didn",
        "isn",
        "aren",
        "wasn",
        "weren",
        "won",
        "wouldn",
        "couldn",
        "shouldn",
        "haven",
        "hasn",
        "ll",
        "ve",
        "re",
        "im",
        "ive",
    }
)

BOUNDARY = 0  # word id of placeholders, punctuation and the end of an answer
MAX_NGRAM = 3
SMALL_CORPUS = 5000
LONGER_PHRASE_SHARE = 0.6
PRIOR_ANSWERS = 10.0  # strength of the key-phrase prior, in pseudo-answers
COMPOUND_HEAD = 3  # shortest first part of a Danish compound split for lemmatising
COMPOUND_TAIL = 4  # shortest known last part
LEMMA_GUARD = 1.0  # a word form this much more frequent (Zipf) than its lemma keeps its own form
MIN_WORD_LETTERS = 3  # a key phrase of one word needs this many letters ("st", "km" say nothing)
MULTI_WORD_BONUS = 0.15  # rank bonus per extra word: "cykelstier langs Strandvejen" over "cykelstier"
COMMON_PHRASE_FACTOR = 0.3  # rank factor of a phrase of several very common words ("dog park")
ZIPF_RARE = 2.0  # from here down a word counts as fully specific (rarity 1.0)
REFILL_ROUNDS = 3
SAME_STEM = 6  # two forms with this long a common start …
SAME_ENDING = 4  # … and at most this many other letters are one word
SURFACE_ANSWERS = 12  # answers read to find a phrase's most frequent wording  # times the selection is rerun after dropping phrases whose wording is too common
PUNCTUATION = frozenset('.!?;:,()"“”„«»…–—\n')
_PLACEHOLDER_RE = re.compile(r"\[([^\W\d_]+)\]")


@dataclass(frozen=True)
class KeyPhrase:
    """A distinctive lemma n-gram of a group of answers.

    `lemma` is the n-gram of lemmas, `text` its most frequent original wording in the group,
    `count` the number of answers in the group that contain it and `score` the z-score of its
    log-odds ratio against the reference answers (higher is more distinctive); `lang` is the
    language most of the group's answers that use it are written in.
    """

    lemma: str
    text: str
    count: int
    score: float
    lang: str = ""  # the language most of the answers using it are in
    column: int = field(default=-1, compare=False, repr=False)  # its n-gram in the corpus it came from

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {
            "lemma": self.lemma,
            "text": self.text,
            "count": self.count,
            "score": round(self.score, 3),
            "lang": self.lang,
        }


class Vocabulary:
    """Word ids shared by both languages for one corpus.

    Content words of Danish and English share one namespace (a loan word such as "festival" or a
    place name is the same feature in both languages); stop words are kept per language, because
    "men" or "i" is a stop word in one language and a content word in the other.
    """

    def __init__(self) -> None:
        """Start with the boundary id only."""
        self.keys: list[str] = [""]
        self.stop: list[bool] = [True]
        self.zipf: list[float] = [0.0]  # highest general-language Zipf of the lemma or a form of it
        self.index: dict[str, int] = {"": BOUNDARY}
        self._words: dict[str, _WordIds] = {}
        self._lemmas: dict[str, _LemmaIds] = {}

    def __len__(self) -> int:
        """Return the number of ids, the boundary included."""
        return len(self.keys)

    def words(self, lang: str) -> _WordIds:
        """Return the lower-cased-token -> id map for `lang`."""
        if lang not in self._words:
            self._words[lang] = _WordIds(self, lang)
        return self._words[lang]

    def lemmas(self, lang: str) -> _LemmaIds:
        """Return the precomputed-lemma -> id map for `lang`."""
        if lang not in self._lemmas:
            self._lemmas[lang] = _LemmaIds(self, lang)
        return self._lemmas[lang]

    def add(
        self,
        lemma: str,
        lang: str,
        stops: frozenset[str],
        *,
        is_stop: bool = False,
        form: str | None = None,
    ) -> int:
        """Return the id of `lemma` in `lang`, adding it if new; `form` is the word as written."""
        is_stop = is_stop or len(lemma) < 2 or lemma in stops or lemma in EXTRA_STOP
        key = f"\x00{lang}\x00{lemma}" if is_stop else lemma
        ident = self.index.get(key)
        if ident is None:
            ident = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.stop.append(is_stop)
            self.zipf.append(0.0)
        if not is_stop:
            frequency = max(zipf(lemma, lang), zipf(form, lang) if form else 0.0)
            if frequency > self.zipf[ident]:
                self.zipf[ident] = frequency
        return ident

    def lemma_of(self, ident: int) -> str:
        """Return the lemma behind a word id."""
        return self.keys[ident].rpartition("\x00")[2]


def _stops(lang: str) -> frozenset[str]:
    """Return the stop words used for `lang` ("other" gets both languages' lists)."""
    if lang in LANGUAGES:
        return stop_words(lang)
    return frozenset().union(*(stop_words(code) for code in LANGUAGES))


class _WordIds(dict):
    """Lower-cased token -> word id for one language; each distinct token is lemmatised once.

    A raw piece that is not one TOKEN_RE token maps to a code at or below _FIRST_SPLIT_ID whose
    ids (none, one or several: "2030", "byen.", "bus/metro") are in `split_ids` from
    `split_start`, `split_length` of them.
    """

    def __init__(self, vocab: Vocabulary, lang: str) -> None:
        super().__init__()
        self.vocab = vocab
        self.lang = lang
        self.stops = _stops(lang)
        self.table = lemma_table(lang) if lang in LANGUAGES else None
        self.split_ids = array("q")
        self.split_start: list[int] = []
        self.split_length: list[int] = []
        self[_CHUNK_END] = _SEPARATOR_ID
        self[_LINE_BREAK] = BOUNDARY

    def __missing__(self, token: str) -> int:
        if token in PUNCTUATION or _PLACEHOLDER_FULL.fullmatch(token):
            ident = BOUNDARY
        elif not token.isalpha() and (parts := TOKEN_RE.findall(token)) != [token]:
            ids = [self[part] for part in parts]
            if len(ids) == 1:
                ident = ids[0]
            else:
                ident = _FIRST_SPLIT_ID - len(self.split_start)
                self.split_start.append(len(self.split_ids))
                self.split_length.append(len(ids))
                self.split_ids.extend(ids)
        else:
            lemma = self._lemma(token)
            if lemma != token and _lemma_is_a_mistake(token, lemma, self.lang):
                lemma = token  # "både" (both) stays itself rather than "båd" (boat)
            ident = self.vocab.add(
                lemma, self.lang, self.stops, is_stop=token in self.stops, form=token
            )
        self[token] = ident
        return ident

    def _lemma(self, token: str) -> str:
        """Return the lemma of `token`; for a word the table lacks, lemmatise its last part.

        The lookup tables hold few compounds, so "hundeparken" would stay apart from
        "hundepark": a hyphenated word takes the lemma of its last part ("e-scooters" ->
        "e-scooter") and an unknown Danish word the lemma of its longest known tail of at
        least COMPOUND_TAIL letters ("hundeparken" -> "hunde" + "park").
        """
        if self.table is None:
            return token
        lemma = self.table.get(token)
        if lemma is not None:
            return lemma
        if "-" in token:
            head, _, last = token.rpartition("-")
            tail = self.table.get(last)
            return f"{head}-{tail}" if tail else token
        if self.lang == "da":
            for cut in range(COMPOUND_HEAD, len(token) - COMPOUND_TAIL + 1):
                tail = self.table.get(token[cut:])
                if tail is not None:
                    return token[:cut] + tail
        return token


class _LemmaIds(dict):
    """Precomputed lemma -> word id for one language (no second lemmatisation)."""

    def __init__(self, vocab: Vocabulary, lang: str) -> None:
        super().__init__()
        self.vocab = vocab
        self.lang = lang
        self.stops = _stops(lang)

    def __missing__(self, lemma: str) -> int:
        low = lemma.lower()
        ident = self.vocab.add(low, self.lang, self.stops) if low else BOUNDARY
        self[lemma] = ident
        return ident


class Corpus:
    """A group of answers as a sparse answer x lemma-n-gram matrix.

    N-grams are 1-3 lemmas long, never cross punctuation, placeholders or the end of an answer,
    never start or end with a stop word (a trigram may have one in the middle: "cykelsti i by"),
    and are kept only if at least `min_df` answers contain them.
    """

    def __init__(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        lemmas: Sequence[Sequence[str] | None] | None = None,
        *,
        min_df: int | None = None,
    ) -> None:
        """Tokenise, lemmatise and count the n-grams of `texts`.

        `min_df` defaults to 1 for fewer than SMALL_CORPUS answers (every word matters when
        telling a handful of quotes apart) and to 2 above (singletons are most of a large
        vocabulary and never distinctive).
        """
        self.texts = list(texts)
        if min_df is None:
            min_df = 1 if len(self.texts) < SMALL_CORPUS else 2
        self.langs = list(langs)
        self.vocab = Vocabulary()
        n = len(self.texts)
        ids, owners = self._encode(self.texts, self.langs, lemmas)
        self.width = len(self.vocab)
        # Trigram codes need width**3 < 2**63; a vocabulary of millions keeps to bigrams.
        self.max_n = MAX_NGRAM if self.width**MAX_NGRAM < 2**62 else 2
        codes, docs = self._ngrams(ids, owners)
        uniq, inverse = _unique_codes(codes, self.width)
        binary = sp.csr_matrix(
            (np.ones(len(codes), dtype=np.float32), (docs, inverse)),
            shape=(n, len(uniq)),
        )
        binary.data[:] = 1.0  # an answer contains an n-gram or not; repeats do not count
        df = np.asarray(binary.sum(axis=0)).ravel()
        keep = np.flatnonzero(df >= min_df)
        self.codes = uniq[keep]
        self.binary = binary[:, keep].tocsr()
        self.df = df[keep]
        self.idf = (np.log((1.0 + n) / (1.0 + self.df)) + 1.0).astype(np.float32)
        self.tfidf = _normalise(self.binary.multiply(self.idf).tocsr())
        self._columns: sp.csc_matrix | None = None
        self._facts: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._surfaces: dict[tuple[int, tuple[int, ...]], str] = {}
        self._token_cache: dict[int, tuple[str, list[tuple[int, int]], list[int]]] = {}

    def __len__(self) -> int:
        """Return the number of answers."""
        return len(self.texts)

    @property
    def n_features(self) -> int:
        """Return the number of kept n-grams."""
        return len(self.codes)

    def _encode(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        lemmas: Sequence[Sequence[str] | None] | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the word ids of all answers, each answer's run followed by a boundary, and the
        answer each position belongs to.

        Texts are tokenised per language in chunks joined by a separator character, so the
        regular expression and the id lookup run once per chunk rather than once per answer.
        """
        ids: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        by_lang: dict[str, list[int]] = {}
        given_ids = array("i")
        given_owner = array("i")
        for i, lang in enumerate(langs):
            given = lemmas[i] if lemmas is not None else None
            if given is None:
                by_lang.setdefault(lang, []).append(i)
                continue
            lemma_ids = self.vocab.lemmas(lang)
            words = [lemma_ids[lemma] for lemma in _without_placeholders(given, texts[i])]
            words.append(BOUNDARY)
            given_ids.extend(words)
            given_owner.extend([i] * len(words))
        if given_ids:
            ids.append(np.frombuffer(given_ids, dtype=np.int32).astype(np.int64))
            owners.append(np.frombuffer(given_owner, dtype=np.int32))
        for lang, docs in by_lang.items():
            words = self.vocab.words(lang)
            for start in range(0, len(docs), CHUNK):
                chunk = docs[start : start + CHUNK]
                joined = f" {_CHUNK_END} ".join([texts[i] for i in chunk]) + f" {_CHUNK_END}"
                if joined.count(_CHUNK_END) != len(chunk) or _LINE_BREAK in joined:  # a text held one
                    joined = f" {_CHUNK_END} ".join(
                        texts[i].replace(_CHUNK_END, " ").replace(_LINE_BREAK, " ") for i in chunk
                    ) + f" {_CHUNK_END}"
                pieces = joined.lower().replace("\n", f" {_LINE_BREAK} ").split()
                chunk_ids = _resolve(np.fromiter(map(words.__getitem__, pieces), np.int64, len(pieces)), words)
                ends = chunk_ids == _SEPARATOR_ID
                chunk_ids[ends] = BOUNDARY
                ids.append(chunk_ids)
                owners.append(np.asarray(chunk, dtype=np.int32)[np.cumsum(ends) - ends])
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        return np.concatenate(ids), np.concatenate(owners)

    def _ngrams(self, ids: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the codes of every valid 1-3-gram occurrence and the answer each belongs to
        (every answer's run of ids ends with a boundary, so no n-gram spans two answers)."""
        width = self.width
        stop = np.asarray(self.vocab.stop, dtype=bool)
        content = ~stop[ids]
        inside = ids != BOUNDARY
        codes = [ids[content]]
        docs = [doc[content]]
        if len(ids) > 1:
            bi = content[:-1] & content[1:]
            codes.append(ids[:-1][bi] * width + ids[1:][bi])
            docs.append(doc[:-1][bi])
        if len(ids) > 2 and self.max_n >= 3:
            tri = content[:-2] & inside[1:-1] & content[2:]
            codes.append((ids[:-2][tri] * width + ids[1:-1][tri]) * width + ids[2:][tri])
            docs.append(doc[:-2][tri])
        return np.concatenate(codes), np.concatenate(docs)

    def words_of(self, column: int) -> tuple[int, ...]:
        """Return the word ids of the n-gram in `column`."""
        code = int(self.codes[column])
        width = self.width
        if code < width:
            return (code,)
        if code < width * width:
            return (code // width, code % width)
        return (code // (width * width), (code // width) % width, code % width)

    def specificity(self, columns: np.ndarray) -> np.ndarray:
        """Return, per n-gram in `columns`, how specific it is to a topic rather than to the
        language: 0 for a single very common word (Zipf >= ZIPF_COMMON), one of fewer than
        MIN_WORD_LETTERS letters or three very common words, COMMON_PHRASE_FACTOR for two very
        common words (a collocation such as "dog park" can still be specific), else between 0.5
        and 1 by the rarity of its rarest word, times a bonus per extra word."""
        if len(columns) == 0:
            return np.zeros(0)
        frequency, stop, short = self._word_facts()
        words = self._word_ids(self.codes[columns])
        present = words >= 0
        safe = np.where(present, words, 0)
        content = present & ~stop[safe]
        rarest = np.where(content, frequency[safe], np.inf).min(axis=1)
        rarity = np.clip((ZIPF_COMMON - rarest) / (ZIPF_COMMON - ZIPF_RARE), 0.0, 1.0)
        n_words = present.sum(axis=1)
        single = n_words == 1
        common = rarest >= ZIPF_COMMON
        score = (0.5 + 0.5 * rarity) * (1.0 + MULTI_WORD_BONUS * (n_words - 1))
        score = np.where(common, COMMON_PHRASE_FACTOR, score)
        # Very common words alone, or three of them ("virkelig har brug", "sted at bo"), say nothing.
        useless = (single & (common | short[safe[:, 0]])) | (common & (n_words == 3))
        return np.where(useless, 0.0, score)

    def _word_facts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return per word id its Zipf frequency, whether it is a stop word and whether it is
        shorter than MIN_WORD_LETTERS (computed once per corpus)."""
        if self._facts is None:
            self._facts = (
                np.asarray(self.vocab.zipf[: self.width]),
                np.asarray(self.vocab.stop[: self.width], dtype=bool),
                np.fromiter((len(k) < MIN_WORD_LETTERS for k in self.vocab.keys[: self.width]), bool, self.width),
            )
        return self._facts

    def _word_ids(self, codes: np.ndarray) -> np.ndarray:
        """Return the word ids of n-gram codes as rows of three (-1 where a shorter n-gram ends)."""
        width = self.width
        codes = np.asarray(codes, dtype=np.int64)
        out = np.full((len(codes), 3), -1, dtype=np.int64)
        uni = codes < width
        bi = ~uni & (codes < width * width)
        tri = ~uni & ~bi
        out[uni, 0] = codes[uni]
        out[bi, 0], out[bi, 1] = codes[bi] // width, codes[bi] % width
        out[tri, 0] = codes[tri] // (width * width)
        out[tri, 1], out[tri, 2] = (codes[tri] // width) % width, codes[tri] % width
        return out

    def folded(self, words: Sequence[int]) -> str:
        """Return the n-gram's content lemmas run together without hyphens or a Danish linking
        "s"/"e", and without an English plural "s": "cykel sti", "cykelsti" and "cykel-sti" fold
        alike, as do "bike lane" and "bikelanes"."""
        parts = [self.vocab.lemma_of(w).replace("-", "") for w in words if not self.vocab.stop[w]]
        folded = "".join(part[:-1] if part[-1:] in ("s", "e") and len(part) > 4 else part for part in parts[:-1])
        last = parts[-1] if parts else ""
        if last.endswith("s") and len(last) > 4 and not last.endswith("ss"):
            last = last[:-1]
        return folded + last

    def lemma_of(self, column: int) -> str:
        """Return the n-gram in `column` as lemmas separated by spaces."""
        return " ".join(self.vocab.lemma_of(w) for w in self.words_of(column))

    def rows_with(self, column: int) -> np.ndarray:
        """Return the answers (row indices, ascending) that contain the n-gram in `column`."""
        if self._columns is None:
            self._columns = self.binary.tocsc()
            self._columns.sort_indices()  # a no-op: scipy's transpose leaves them sorted
        cols = self._columns
        return cols.indices[cols.indptr[column] : cols.indptr[column + 1]].copy()

    def surface(self, column: int, rows: Sequence[int], limit: int = SURFACE_ANSWERS) -> str:
        """Return the most frequent original wording of the n-gram in `column` among `rows`.

        Forms are compared case-insensitively; a capital only because the form starts a sentence
        is dropped, so the lower-case spelling wins unless the answers capitalise it elsewhere
        (names, abbreviations). Falls back to the lemmas.
        """
        rows = [int(r) for r in list(rows)[:limit]]
        key = (column, tuple(rows))
        if key not in self._surfaces:
            self._surfaces[key] = self._surface(column, rows)
        return self._surfaces[key]

    def _tokens(self, row: int) -> tuple[str, list[tuple[int, int]], list[int]]:
        """Return answer `row`'s text (lower-cased when that changes its length), its tokens'
        spans and their word ids (kept: the central answers are read for many phrases)."""
        found = self._token_cache.get(row)
        if found is None:
            text = self.texts[row]
            low = text.lower()
            if len(low) != len(text):
                text = low
            words = self.vocab.words(self.langs[row])
            matches = list(TOKEN_RE.finditer(low))
            found = (text, [m.span() for m in matches], [words[m.group()] for m in matches])
            self._token_cache[row] = found
        return found

    def _surface(self, column: int, rows: list[int]) -> str:
        """Return `surface` of `column` over exactly `rows`."""
        target = list(self.words_of(column))
        size = len(target)
        forms: Counter[str] = Counter()
        first = target[0]
        for row in rows:
            text, spans, ids = self._tokens(row)
            for i in (i for i, word in enumerate(ids[: len(ids) - size + 1]) if word == first):
                if ids[i : i + size] == target:
                    form = " ".join(text[spans[i][0] : spans[i + size - 1][1]].split())
                    if _sentence_initial(text, spans[i][0]) and form[1:2].islower():
                        form = form[0].lower() + form[1:]  # "Festivalen var …" -> "festivalen"
                    forms[form] += 1
        if not forms:
            return self.lemma_of(column)
        by_lower: Counter[str] = Counter()
        for form, count in forms.items():
            by_lower[form.lower()] += count
        best = max(by_lower, key=lambda form: (by_lower[form], -len(form)))
        if best in forms:
            return best
        return max((f for f in forms if f.lower() == best), key=lambda f: forms[f])

    def vectorise(self, texts: Sequence[str], langs: Sequence[str]) -> sp.csr_matrix:
        """Return L2-normalised TF-IDF rows of new texts (e.g. sentences) in this corpus's space."""
        ids, owners = self._encode(texts, langs, None)
        # Words the corpus never saw cannot be part of a kept n-gram (and would not fit the codes).
        ids = np.where(ids < self.width, ids, BOUNDARY)
        codes, docs = self._ngrams(ids, owners)
        pos = np.searchsorted(self.codes, codes)
        pos = np.minimum(pos, max(len(self.codes) - 1, 0))
        hit = (self.codes[pos] == codes) if len(self.codes) else np.zeros(len(codes), bool)
        rows = sp.csr_matrix(
            (np.ones(int(hit.sum()), dtype=np.float32), (docs[hit], pos[hit])),
            shape=(len(texts), len(self.codes)),
        )
        rows.data[:] = 1.0
        return _normalise(rows.multiply(self.idf).tocsr())


def _unique_codes(codes: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Return `np.unique(codes, return_inverse=True)` for n-gram codes of a vocabulary of
    `width` ids, faster: the single words (codes below `width`, two thirds of all occurrences) are
    counted in a table instead of sorted, and every longer n-gram's code is above them."""
    single = codes < width
    present = np.zeros(width, dtype=bool)
    present[codes[single]] = True
    words = np.flatnonzero(present)
    rank = np.cumsum(present) - 1
    longer, longer_inverse = np.unique(codes[~single], return_inverse=True)
    inverse = np.empty(len(codes), dtype=np.int64)
    inverse[single] = rank[codes[single]]
    inverse[~single] = len(words) + longer_inverse.ravel()
    return np.concatenate([words, longer]), inverse


def _resolve(ids: np.ndarray, words: _WordIds) -> np.ndarray:
    """Return word ids with each raw piece that is not one word replaced by its words' ids
    (none for "2030", two for "byen.": the word and a boundary)."""
    odd = ids <= _FIRST_SPLIT_ID
    if not odd.any():
        return ids
    split = _FIRST_SPLIT_ID - ids[odd]
    lengths = np.asarray(words.split_length, dtype=np.int64)[split]
    starts = np.asarray(words.split_start, dtype=np.int64)[split]
    flat = np.frombuffer(words.split_ids, dtype=np.int64)
    each = np.ones(len(ids), dtype=np.int64)
    each[odd] = lengths
    where = np.cumsum(each) - each  # where each raw piece's ids begin in the result
    out = np.empty(int(each.sum()), dtype=np.int64)
    out[where[~odd]] = ids[~odd]
    if lengths.sum():
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        out[np.repeat(where[odd], lengths) + offsets] = flat[np.repeat(starts, lengths) + offsets]
    return out


def _lemma_is_a_mistake(token: str, lemma: str, lang: str) -> bool:
    """Return True if the lemma table's `lemma` is a different, rarer word than `token`: both
    are in the general word list and the form is LEMMA_GUARD more frequent ("både", both, is not
    the plural of "båd", boat). A lemma the list lacks (most compounds: "solcelle") is trusted."""
    lemma_zipf = zipf(lemma, lang)
    return lemma_zipf > 0.0 and zipf(token, lang) > lemma_zipf + LEMMA_GUARD


def _sentence_initial(text: str, start: int) -> bool:
    """Return True if position `start` of `text` begins a sentence."""
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?:"“”\n'


def _without_placeholders(lemmas: Sequence[str], text: str) -> list[str]:
    """Drop the words spaCy's tokenizer cut out of placeholders ("[NAVN]" -> "navn")."""
    if "[" not in text:
        return list(lemmas)
    placeholders = {p.lower() for p in _PLACEHOLDER_RE.findall(text)}
    return [lemma for lemma in lemmas if lemma.lower() not in placeholders]


def _normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Return `matrix` with every non-empty row scaled to unit L2 length."""
    matrix = matrix.astype(np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def log_odds_z(
    inside: np.ndarray,
    outside: np.ndarray,
    n_inside: int,
    n_outside: int,
    prior: float = PRIOR_ANSWERS,
) -> np.ndarray:
    """Return, per n-gram, the z-score of the log-odds ratio of the share of answers containing
    it inside the group (`inside` of `n_inside` answers) vs outside (`outside` of `n_outside`).

    The log-odds ratio with an informative prior (Monroe, Colaresi & Quinn 2008, "Fightin'
    Words"), on answers rather than tokens so that long answers do not dominate: each n-gram
    starts from `prior` pseudo-answers at its rate in the whole set (a Beta prior) plus 0.5 per
    cell, and the ratio is divided by its estimated standard deviation. An n-gram as common in
    the group as elsewhere scores about zero however frequent it is; one frequent in the group
    and rare elsewhere scores high.
    """
    inside = inside.astype(np.float64)
    outside = outside.astype(np.float64)
    rate = (inside + outside) / max(n_inside + n_outside, 1)
    yes = prior * rate + 0.5
    no = prior * (1.0 - rate) + 0.5
    in_yes, in_no = inside + yes, np.maximum(n_inside - inside, 0) + no
    out_yes, out_no = outside + yes, np.maximum(n_outside - outside, 0) + no
    delta = np.log(in_yes / in_no) - np.log(out_yes / out_no)
    variance = 1 / in_yes + 1 / in_no + 1 / out_yes + 1 / out_no
    return delta / np.sqrt(variance)


def distinctive_phrases(
    corpus: Corpus,
    members: np.ndarray,
    *,
    reference: np.ndarray | None = None,
    limit: int = 10,
    min_share: float = 0.005,
) -> list[KeyPhrase]:
    """Return up to `limit` n-grams most distinctive of the answers in `members` (a boolean row
    mask) against `reference` (default: every other answer), with readable surface forms.

    Distinctive twice over: against the other answers (the z-score of the log-odds ratio) and
    against the language in general (the rank is scaled by the rarity of the phrase's rarest word,
    `wordfreq`'s Zipf scale). A phrase made only of words that are very common in the language
    (Zipf >= ZIPF_COMMON: "mulighed", "give", "high"), in its lemma or as people wrote it, is never
    chosen, nor is one of fewer than MIN_WORD_LETTERS letters or three very common words; two very
    common words together rank low. Longer phrases get a small bonus per word.

    An n-gram must occur in at least 2 member answers and in `min_share` of them. An n-gram that
    overlaps one already chosen ("cykelsti" inside "sikker cykelsti"), or spells the same words
    joined or split ("cykelsti" / "cykel sti"), is skipped, so the list says different things —
    unless it is longer and occurs in at least LONGER_PHRASE_SHARE as many answers, in which case
    it replaces the shorter one ("dog park" for "park").
    """
    if corpus.n_features == 0 or not members.any():
        return []
    member_rows = np.flatnonzero(members)
    too_common: set[int] = set()
    phrases: list[KeyPhrase] = []
    for _ in range(REFILL_ROUNDS):
        chosen, inside, z = ranked_columns(
            corpus, members, reference=reference, limit=limit, min_share=min_share, exclude=too_common
        )
        phrases = []
        for column in chosen:
            phrase = key_phrase(corpus, column, member_rows, inside, z)
            if phrase is None:
                too_common.add(column)  # "både" written, "båd" lemmatised: the wording says nothing
                continue
            phrases.append(phrase)
        if len(phrases) == len(chosen):
            break
    return phrases


def ranked_columns(
    corpus: Corpus,
    members: np.ndarray,
    *,
    reference: np.ndarray | None = None,
    limit: int = 10,
    min_share: float = 0.005,
    exclude: Set[int] = frozenset(),
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Return the columns `distinctive_phrases` would choose (best first, at most `limit`, none
    of `exclude`), and per column the member answers containing it and its log-odds z-score."""
    inside = corpus.binary.T @ members.astype(np.float32)
    if reference is None:
        outside = corpus.df - inside
        n_outside = len(corpus) - int(members.sum())
    else:
        others = reference & ~members
        outside = corpus.binary.T @ others.astype(np.float32)
        n_outside = int(others.sum())
    z = log_odds_z(inside, outside, int(members.sum()), n_outside)
    floor = max(2.0, min_share * float(members.sum()))
    candidates = np.flatnonzero((inside >= floor) & (z > 0))
    rank = z[candidates] * corpus.specificity(candidates)
    keep = rank > 0
    candidates, rank = candidates[keep], rank[keep]
    order = candidates[np.argsort(-rank, kind="stable")][: limit * 50]
    return _choose(corpus, [c for c in order if int(c) not in exclude], inside, limit), inside, z


def key_phrase(
    corpus: Corpus, column: int, member_rows: np.ndarray, inside: np.ndarray, z: np.ndarray
) -> KeyPhrase | None:
    """Return the key phrase of `column` among the answers `member_rows` in the wording they use,
    or None when that wording is one very common word or is not civil (a slur is no key phrase)."""
    rows = np.intersect1d(corpus.rows_with(column), member_rows, assume_unique=True)
    text = corpus.surface(column, rows)
    lang = Counter(corpus.langs[r] for r in rows[:SURFACE_ANSWERS]).most_common(1)[0][0] if len(rows) else ""
    if _all_common(text, lang) or not is_civil(text, lang):
        return None
    return KeyPhrase(
        lemma=corpus.lemma_of(column), text=text, count=int(inside[column]), score=float(z[column]),
        lang=lang, column=column,
    )


def _choose(corpus: Corpus, order: Sequence[int], inside: np.ndarray, limit: int) -> list[int]:
    """Return up to `limit` columns from `order` (best first) that do not say the same thing."""
    chosen: list[tuple[int, tuple[int, ...], str]] = []
    for column in order:
        column = int(column)
        words = corpus.words_of(column)
        folded = corpus.folded(words)
        if any(_same_word(folded, other) for _, _, other in chosen):
            continue  # "cykelsti" after "cykel sti", "bike lanes" after "bike lane", "renovate"
        clashes = [i for i, (_, other, _) in enumerate(chosen) if _overlaps(words, other)]
        if not clashes:
            chosen.append((column, words, folded))
            if len(chosen) == limit:
                break
            continue
        # "dog park" replaces "park" (and "dog") when it accounts for most of their uses.
        if all(len(chosen[i][1]) < len(words) for i in clashes) and inside[column] >= (
            LONGER_PHRASE_SHARE * max(inside[chosen[i][0]] for i in clashes)
        ):
            chosen[clashes[0]] = (column, words, folded)
            for i in reversed(clashes[1:]):
                del chosen[i]
    return [column for column, _, _ in chosen]


def _same_word(a: str, b: str) -> bool:
    """Return True if two folded phrases are one word in different forms: equal, or sharing a
    stem of at least SAME_STEM letters with at most SAME_ENDING letters left over ("renovation" /
    "renovate", "cykelstien" / "cykelsti") — the lemma tables miss such pairs across word classes."""
    if a == b:
        return True
    stem = len(os.path.commonprefix((a, b)))
    return stem >= SAME_STEM and max(len(a), len(b)) - stem <= SAME_ENDING


def _all_common(text: str, lang: str) -> bool:
    """Return True if `text` is one word that is very common in `lang` or too short to say much
    (the lemma may have looked specific where the wording is not)."""
    words = [w for w in TOKEN_RE.findall(text.lower()) if w[0].isalpha() and w[0] != "["]
    if len(words) != 1:
        return not words
    return len(words[0]) < MIN_WORD_LETTERS or zipf(words[0], lang) >= ZIPF_COMMON


def _overlaps(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Return True if one word sequence occurs inside the other."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def centroid(rows: sp.csr_matrix) -> np.ndarray:
    """Return the unit-length mean of L2-normalised rows (a dense vector)."""
    if rows.shape[0] == 0:
        return np.zeros(rows.shape[1], dtype=np.float32)
    centre = np.asarray(rows.mean(axis=0)).ravel().astype(np.float32)
    norm = float(np.linalg.norm(centre))
    return centre / norm if norm else centre


def select_diverse(
    vectors: sp.csr_matrix,
    relevance: np.ndarray,
    *,
    limit: int,
    trade_off: float = 0.7,
    max_similarity: float = 0.5,
    texts: Sequence[str] | None = None,
) -> list[int]:
    """Return up to `limit` row indices chosen by maximal marginal relevance (Carbonell &
    Goldstein 1998): each pick maximises `trade_off * relevance - (1 - trade_off) * (highest
    cosine to a row already picked)`. Rows more similar than `max_similarity` to a picked row,
    or with the same normalised text, are never picked (near-duplicates)."""
    n = vectors.shape[0]
    if n == 0 or limit <= 0:
        return []
    similarity = (vectors @ vectors.T).toarray()
    closest = np.zeros(n)
    allowed = np.ones(n, dtype=bool)
    seen_texts: set[str] = set()
    picked: list[int] = []
    while len(picked) < limit and allowed.any():
        score = trade_off * relevance - (1.0 - trade_off) * closest
        score[~allowed] = -math.inf
        best = int(np.argmax(score))
        allowed[best] = False
        key = " ".join(texts[best].lower().split()) if texts is not None else None
        if key is not None and key in seen_texts:
            continue
        picked.append(best)
        if key is not None:
            seen_texts.add(key)
        closest = np.maximum(closest, similarity[best])
        allowed &= closest <= max_similarity
    return picked
