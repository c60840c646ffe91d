"""Theme discovery: cluster the answers no theme claimed into candidate new themes.

The strategy team adopts, renames or dismisses each candidate; this module only proposes.

Method (all scikit-learn / scipy, deterministic for a seed):
1. Features: TF-IDF over lemma 1-3-grams of Danish and English answers together, in one space
   (`keyphrases.Corpus`). One space, because loan words, names and places ("festival",
   "e-scooter", "Amager Strandpark") are shared across the languages and pull a topic's answers
   together, because k is then chosen once for the whole pool, and because a small English
   minority would be too few to cluster on its own. Stop words are removed per language, so
   the languages' function words do not form two language clusters. A topic with no shared
   words across the languages ("hundepark" / "dog park") becomes one candidate per language.
2. Clusters: NMF (non-negative matrix factorisation) of the TF-IDF matrix; each answer belongs
   to its dominant topic. On short planted texts NMF recovered the topics exactly where k-means
   on LSA vectors mixed them (adjusted Rand 1.0 vs 0.77 at the true k).
3. k: for every k in 2..max_k, NMF on a sample of at most K_SAMPLE answers; the k whose
   dominant-topic assignment has the highest mean silhouette (cosine distance between the
   answers' TF-IDF vectors) wins; ties go to the smaller k. Every k starts from NNDSVDa
   factors built from one shared SVD of the sample. The final NMF is fitted on at most
   FIT_SAMPLE answers and every answer is then projected onto its topics.
4. Members: an answer whose TF-IDF cosine to its topic's term vector is below
   MIN_MEMBER_SIMILARITY belongs to no candidate (stray "ved ikke", "thanks" answers load weakly
   on some topic). Topics with fewer than max(MIN_SIZE, MIN_SHARE of the pool) members are
   dropped.
5. Each candidate: key phrases by log-odds against the other unthemed answers, a label from the
   top three, and up to five example answers that are central (close to the cluster's TF-IDF
   centroid) and diverse (maximal marginal relevance).
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import randomized_svd
from threadpoolctl import threadpool_limits

from engage.nlp.keyphrases import Corpus, KeyPhrase, centroid, distinctive_phrases, select_diverse

if TYPE_CHECKING:  # summarise imports this module's clustering for its sub-topics
    from engage.nlp.summarise import SummaryItem

log = logging.getLogger(__name__)

MIN_ITEMS = 10  # fewer unthemed answers than this: no candidates
MIN_SIZE = 3  # smallest candidate, in answers …
MIN_SHARE = 0.01  # … and as a share of the unthemed answers
K_SAMPLE = 1000  # answers used to choose k (the silhouettes cost grows with its square)
FIT_SAMPLE = 20000  # answers the final NMF is fitted on (the rest are projected)
MIN_MEMBER_SIMILARITY = 0.1  # TF-IDF cosine of an answer to its topic's term vector
LABEL_PHRASES = 3
EXAMPLES = 5


@dataclass(frozen=True)
class Example:
    """An example answer of a candidate theme (staff-facing; `quotable` says if it may be quoted)."""

    id: str
    text: str
    lang: str
    quotable: bool

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {"id": self.id, "text": self.text, "lang": self.lang, "quotable": self.quotable}


@dataclass(frozen=True)
class CandidateTheme:
    """A proposed new theme: a cluster of answers that no existing theme claimed.

    `share` is `size` over all unthemed answers given to `discover`; `cohesion` is the mean
    TF-IDF cosine of the members to their topic's term vector (higher is tighter); `ids` are every
    member's answer id, so adopting the candidate can tag them.
    """

    label: str
    size: int
    share: float
    key_phrases: tuple[KeyPhrase, ...]
    examples: tuple[Example, ...]
    languages: dict[str, int]
    cohesion: float
    ids: tuple[str, ...]

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {
            "label": self.label,
            "size": self.size,
            "share": round(self.share, 4),
            "key_phrases": [p.to_dict() for p in self.key_phrases],
            "examples": [e.to_dict() for e in self.examples],
            "languages": dict(self.languages),
            "cohesion": round(self.cohesion, 4),
            "ids": list(self.ids),
        }


def discover(
    items: Iterable[SummaryItem],
    *,
    max_k: int = 12,
    seed: int = 0,
    corpus: Corpus | None = None,
) -> list[CandidateTheme]:
    """Cluster the answers without a theme (`themes == ()`) into candidate themes, largest first.

    Answers with themes are ignored, so the caller may pass a whole set. `corpus` may be the
    `Corpus` of exactly these items, already built for their summary (then the answers are not
    tokenised twice). Returns [] when fewer than MIN_ITEMS answers are unthemed or they share too
    few words to cluster. The same input and seed always give the same candidates.
    """
    items = list(items)
    unthemed = [i for i, item in enumerate(items) if not item.themes]
    if len(unthemed) < MIN_ITEMS:
        return []
    if corpus is None or len(corpus) != len(items):
        items = [items[i] for i in unthemed]
        corpus = Corpus([it.text for it in items], [it.lang for it in items], [it.lemmas for it in items])
        unthemed = list(range(len(items)))
    pool = np.asarray(unthemed, dtype=np.int64)
    rows = pool[corpus.tfidf[pool].getnnz(axis=1) > 0]  # answers with any kept n-gram
    if len(rows) < MIN_ITEMS or corpus.n_features < 3:
        return []
    k, labels, similarity = nmf_clusters(corpus.tfidf[rows], max_k=max_k, seed=seed)
    if k < 2:
        return []
    in_pool = np.zeros(len(corpus), dtype=bool)
    in_pool[pool] = True
    floor = max(MIN_SIZE, MIN_SHARE * len(pool))
    candidates = []
    for topic in range(k):
        member = (labels == topic) & (similarity >= MIN_MEMBER_SIMILARITY)
        if member.sum() < floor:
            continue
        cohesion = min(float(similarity[member].mean()), 1.0)
        candidates.append(_candidate(corpus, items, rows[member], cohesion, in_pool))
    candidates.sort(key=lambda c: (-c.size, c.label))
    return candidates


def nmf_clusters(
    matrix: sp.csr_matrix,
    *,
    max_k: int,
    seed: int = 0,
    k_sample: int = K_SAMPLE,
    fit_sample: int = FIT_SAMPLE,
) -> tuple[int, np.ndarray, np.ndarray]:
    """Return (k, each row's dominant topic, each row's cosine to that topic's term vector) for
    TF-IDF rows; k = 0 (and empty arrays) when no k in 2..max_k can be scored.

    k is chosen by `choose_k` on at most `k_sample` rows; the final NMF is fitted on at most
    `fit_sample` rows and every row is then projected onto its topics. A row that loads on no
    topic has similarity 0.
    """
    # One BLAS thread: these matrices are small, and two threads on this two-core machine made
    # the SVDs take anywhere from 0.1 to 1.2 s instead of a steady 0.02-0.06 s (bench_summaries).
    with threadpool_limits(limits=1, user_api="blas"):
        return _nmf_clusters(matrix, max_k=max_k, seed=seed, k_sample=k_sample, fit_sample=fit_sample)


def _nmf_clusters(
    matrix: sp.csr_matrix, *, max_k: int, seed: int, k_sample: int, fit_sample: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """`nmf_clusters` under its BLAS thread limit."""
    rng = np.random.default_rng(seed)
    k, scores = choose_k(matrix, max_k=max_k, seed=seed, rng=rng, sample_size=k_sample)
    if k < 2:
        return 0, np.zeros(0, dtype=np.int64), np.zeros(0)
    log.debug("nmf: %d rows, k=%d, silhouettes %s", matrix.shape[0], k, scores)
    fit_rows = _sample(matrix.shape[0], fit_sample, rng)
    columns = _used_columns(matrix[fit_rows])
    matrix = matrix[:, columns]
    fit = matrix[fit_rows]
    model = _nmf(k, seed)
    with _quiet_nmf():
        weights = model.fit_transform(fit, **_nndsvda(fit, _svd(fit, k, seed), k))
        if len(fit_rows) < matrix.shape[0]:
            weights = model.transform(matrix)
    labels = weights.argmax(axis=1)
    topics = normalize(model.components_)
    # Cosine of each row to its own topic, over the row's non-zero n-grams only.
    owner = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    products = matrix.data * topics[labels[owner], matrix.indices]
    similarity = np.bincount(owner, weights=products, minlength=matrix.shape[0])
    similarity[weights.max(axis=1) <= 0] = 0.0
    return k, labels, similarity


def _nmf(k: int, seed: int) -> NMF:
    """Return an unfitted NMF with k topics, started from `_nndsvda` (deterministic)."""
    return NMF(n_components=k, init="custom", random_state=seed, max_iter=300, tol=1e-3)


def _svd(matrix: sp.csr_matrix, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the top-k singular triplets of `matrix` (randomized, seeded)."""
    return randomized_svd(matrix, k, random_state=seed)


def _nndsvda(
    matrix: sp.csr_matrix, svd: tuple[np.ndarray, np.ndarray, np.ndarray], k: int
) -> dict[str, np.ndarray]:
    """Return NNDSVDa starting factors {"W", "H"} for k topics (Boutsidis & Gallopoulos 2008).

    The same start as scikit-learn's init="nndsvda", built from the first k triplets of one
    SVD, so choosing k costs one SVD instead of one per k (the SVD was most of the time).
    """
    u, s, vt = svd
    w = np.zeros((matrix.shape[0], k), dtype=np.float64)
    h = np.zeros((k, matrix.shape[1]), dtype=np.float64)
    w[:, 0] = np.sqrt(s[0]) * np.abs(u[:, 0])
    h[0] = np.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        x, y = u[:, j], vt[j]
        parts = []
        for xs, ys in (
            (np.maximum(x, 0), np.maximum(y, 0)),
            (-np.minimum(x, 0), -np.minimum(y, 0)),
        ):
            nx, ny = float(np.linalg.norm(xs)), float(np.linalg.norm(ys))
            parts.append((nx * ny, xs, ys, nx, ny))
        sigma, xs, ys, nx, ny = max(parts, key=lambda part: part[0])
        if sigma > 0:
            scale = np.sqrt(s[j] * sigma)
            w[:, j] = scale * xs / nx
            h[j] = scale * ys / ny
    w[w < 1e-6] = 0
    h[h < 1e-6] = 0
    average = float(matrix.sum()) / (matrix.shape[0] * matrix.shape[1])
    w[w == 0] = average
    h[h == 0] = average
    return {"W": w.astype(matrix.dtype), "H": h.astype(matrix.dtype)}


@contextmanager
def _quiet_nmf() -> Iterator[None]:
    """Silence NMF's convergence notices and the rounding warning it gives on degenerate input
    (identical answers make its reconstruction error a tiny negative number under a root)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", "invalid value encountered in sqrt", RuntimeWarning)
        yield


def _used_columns(matrix: sp.csr_matrix) -> np.ndarray:
    """Return the indices of the columns with a non-zero entry."""
    return np.flatnonzero(np.bincount(matrix.indices, minlength=matrix.shape[1]))


def _sample(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Return up to `size` sorted row indices drawn without replacement."""
    if n <= size:
        return np.arange(n)
    return np.sort(rng.choice(n, size=size, replace=False))


def choose_k(
    matrix: sp.csr_matrix,
    *,
    max_k: int = 12,
    seed: int = 0,
    rng: np.random.Generator | None = None,
    sample_size: int = K_SAMPLE,
) -> tuple[int, dict[int, float]]:
    """Return the k in 2..max_k whose NMF dominant-topic assignment of a sample of `matrix`
    (TF-IDF rows, at most `sample_size`) has the best mean cosine silhouette (ties: the smaller
    k), and every k's silhouette. Returns k = 0 when no k can be scored."""
    rng = rng if rng is not None else np.random.default_rng(seed)
    sample = matrix[_sample(matrix.shape[0], sample_size, rng)]
    sample = sample[:, _used_columns(sample)]  # NMF's cost grows with the columns, used or not
    top = min(max_k, sample.shape[0] // MIN_SIZE, sample.shape[1] - 1)
    scores: dict[int, float] = {}
    with _quiet_nmf():
        svd = _svd(sample, top, seed) if top >= 2 else None
        for k in range(2, top + 1):
            weights = _nmf(k, seed).fit_transform(sample, **_nndsvda(sample, svd, k))
            assigned = weights.max(axis=1) > 0
            labels = weights.argmax(axis=1)[assigned]
            if len(set(labels)) < 2 or len(set(labels)) >= assigned.sum():
                continue
            scores[k] = float(silhouette_score(sample[assigned], labels, metric="cosine"))
    if not scores:
        return 0, scores
    best = max(scores, key=lambda k: (round(scores[k], 6), -k))
    return best, scores


def _candidate(
    corpus: Corpus,
    items: list[SummaryItem],
    member_rows: np.ndarray,
    cohesion: float,
    pool: np.ndarray,
) -> CandidateTheme:
    """Return the candidate theme of the answers `member_rows` of `items`; `pool` marks every
    unthemed answer (the key phrases are distinctive against the other unthemed answers)."""
    members = np.zeros(len(items), dtype=bool)
    members[member_rows] = True
    phrases = tuple(distinctive_phrases(corpus, members, reference=pool, limit=8, min_share=0.02))
    vectors = corpus.tfidf[member_rows]
    relevance = vectors @ centroid(vectors)
    order = np.argsort(-relevance, kind="stable")[:60]
    picks = select_diverse(
        vectors[order],
        relevance[order],
        limit=EXAMPLES,
        texts=[items[member_rows[i]].text for i in order],
    )
    examples = tuple(
        Example(id=item.id, text=item.text.strip(), lang=item.lang, quotable=item.quotable)
        for item in (items[member_rows[order[p]]] for p in picks)
    )
    label = " / ".join(p.text for p in phrases[:LABEL_PHRASES]) or examples[0].text[:60]
    return CandidateTheme(
        label=label,
        size=len(member_rows),
        share=len(member_rows) / int(pool.sum()),
        key_phrases=phrases,
        examples=examples,
        languages=dict(Counter(items[r].lang for r in member_rows).most_common()),
        cohesion=cohesion,
        ids=tuple(items[r].id for r in member_rows),
    )
