"""A trained model: the index of past cases and two linear classifiers (lead unit, category).

Everything is a numpy array, saved with `np.savez_compressed` and loaded with
`allow_pickle=False`: no code is ever unpickled from the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import tokenise
from .vectors import Vectoriser

KIND_HISTORY, KIND_SUGGESTION = 0, 1
NEIGHBOURS = 10
# Weight of the linear classifier against the vote of the nearest past cases (measured in routing_eval).
CLASSIFIER_WEIGHT = 0.7


@dataclass
class Linear:
    """Scores = X · coefᵀ + intercept; one row per class."""

    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray

    def scores(self, x: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept


def softmax(scores: np.ndarray, temperature: float = 4.0) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class UnitGuess:
    unit_id: int
    confidence: float
    words: list[str]
    cases: list[int]  # rows of the index, best first


@dataclass
class Routing:
    units: list[UnitGuess]
    co_units: list[tuple[int, float]]
    categories: list[tuple[int, float, list[str]]]


class TrainedModel:
    def __init__(
        self,
        *,
        vec: Vectoriser,
        index: sparse.csr_matrix,
        doc_kind: np.ndarray,
        doc_id: np.ndarray,
        doc_lead: np.ndarray,
        co_indptr: np.ndarray,
        co_ids: np.ndarray,
        units: Linear,
        categories: Linear | None,
    ) -> None:
        self.vec, self.index = vec, index
        self.doc_kind, self.doc_id, self.doc_lead = doc_kind, doc_id, doc_lead
        self.co_indptr, self.co_ids = co_indptr, co_ids
        self.units, self.categories = units, categories
        self._unit_pos = {int(u): i for i, u in enumerate(units.classes)}
        self._word_mask = np.array([not t.startswith("#") for t in vec.terms], dtype=bool)

    # Vectors and neighbours ---------------------------------------------------------------------------------

    def similarities(self, x: sparse.csr_matrix) -> np.ndarray:
        """Cosine of each query row with each indexed case (queries × cases).

        The index times a dense block of queries: x @ indexᵀ would transpose the whole index on
        every call, and a sparse × sparse product costs more than this matrix-vector product.
        """
        return np.asarray(self.index @ x.T.toarray()).T

    def vectors(self, texts: list[str]) -> sparse.csr_matrix:
        return self.vec.transform([tokenise.tokens(t) for t in texts])

    def neighbours(self, x: sparse.csr_matrix, k: int, sims: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k most similar rows of the index to one query vector, as (row, cosine)."""
        if self.index.shape[0] == 0 or x.nnz == 0:
            return []
        if sims is None:
            sims = self.similarities(x)[0]
        k = min(k, sims.size)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(i), float(sims[i])) for i in top if sims[i] > 0]

    # Routing ------------------------------------------------------------------------------------------------

    def unit_probabilities(self, x: sparse.csr_matrix, sims: np.ndarray | None = None):
        """Per query row: the blend of the classifier and the vote of its nearest past cases."""
        p = softmax(self.units.scores(x))
        if self.index.shape[0]:
            if sims is None:
                sims = self.similarities(x)
            k = min(NEIGHBOURS, sims.shape[1])
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            vote = np.zeros_like(p)
            for q in range(sims.shape[0]):
                for i in top[q]:
                    pos = self._unit_pos.get(int(self.doc_lead[i]))
                    if pos is not None and sims[q, i] > 0:
                        vote[q, pos] += sims[q, i] ** 2
            totals = vote.sum(axis=1, keepdims=True)
            has = totals.ravel() > 0
            vote[has] /= totals[has]
            p = np.where(has[:, None], CLASSIFIER_WEIGHT * p + (1 - CLASSIFIER_WEIGHT) * vote, p)
        return p

    def _words_for(self, x: sparse.csr_matrix, coef_row: np.ndarray, n: int = 5) -> list[str]:
        cols, vals = x.indices, x.data
        contrib = vals * coef_row[cols]
        keep = (contrib > 0) & self._word_mask[cols]
        order = np.argsort(-contrib[keep])[:n]
        return [self.vec.terms[int(j)] for j in cols[keep][order]]

    def route(self, text: str, *, top: int = 3) -> Routing:
        x = self.vectors([text])
        sims = self.similarities(x) if self.index.shape[0] else None
        p = self.unit_probabilities(x, sims)[0]
        near = self.neighbours(x, 30, sims=None if sims is None else sims[0])
        best = np.argsort(-p)[:top]
        guesses = []
        for pos in best:
            unit_id = int(self.units.classes[pos])
            cases = [row for row, _ in near if int(self.doc_lead[row]) == unit_id][:3]
            words = self._words_for(x, self.units.coef[pos])
            guesses.append(UnitGuess(unit_id, float(p[pos]), words, cases))
        lead = guesses[0].unit_id if guesses else None
        co: dict[int, float] = {}
        weight = sum(s for _, s in near[:NEIGHBOURS]) or 1.0
        for row, s in near[:NEIGHBOURS]:
            for u in self.co_ids[self.co_indptr[row] : self.co_indptr[row + 1]]:
                if int(u) != lead:
                    co[int(u)] = co.get(int(u), 0.0) + s / weight
        co_units = sorted(((u, c) for u, c in co.items() if c >= 0.2), key=lambda t: -t[1])[:3]
        cats = []
        if self.categories is not None and len(self.categories.classes):
            pc = softmax(self.categories.scores(x))[0]
            for pos in np.argsort(-pc)[:top]:
                cats.append(
                    (int(self.categories.classes[pos]), float(pc[pos]), self._words_for(x, self.categories.coef[pos]))
                )
        return Routing(guesses, co_units, cats)

    def route_many(self, texts: list[str], *, top: int = 3) -> list[tuple[list[int], int | None]]:
        """For a batch: the ranked unit ids and the best category id of each text."""
        out: list[tuple[list[int], int | None]] = []
        for start in range(0, len(texts), 100):
            x = self.vectors(texts[start : start + 100])
            p = self.unit_probabilities(x)
            cats = None
            if self.categories is not None and len(self.categories.classes):
                cats = np.argmax(self.categories.scores(x), axis=1)
            for q in range(x.shape[0]):
                ranked = [int(self.units.classes[i]) for i in np.argsort(-p[q])[:top]]
                out.append((ranked, int(self.categories.classes[cats[q]]) if cats is not None else None))
        return out

    # Persistence --------------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        arrays = {
            "terms": np.array(self.vec.terms, dtype=str),
            "idf": self.vec.idf,
            "index_data": self.index.data.astype(np.float16),
            "index_indices": self.index.indices.astype(np.int32),
            "index_indptr": self.index.indptr.astype(np.int64),
            "index_shape": np.array(self.index.shape, dtype=np.int64),
            "doc_kind": self.doc_kind.astype(np.int8),
            "doc_id": self.doc_id.astype(np.int64),
            "doc_lead": self.doc_lead.astype(np.int64),
            "co_indptr": self.co_indptr.astype(np.int64),
            "co_ids": self.co_ids.astype(np.int64),
            "unit_coef": self.units.coef.astype(np.float32),
            "unit_intercept": self.units.intercept.astype(np.float32),
            "unit_classes": self.units.classes.astype(np.int64),
        }
        if self.categories is not None:
            arrays |= {
                "cat_coef": self.categories.coef.astype(np.float32),
                "cat_intercept": self.categories.intercept.astype(np.float32),
                "cat_classes": self.categories.classes.astype(np.int64),
            }
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> TrainedModel:
        with np.load(io.BytesIO(bytes(blob)), allow_pickle=False) as a:
            shape = tuple(int(v) for v in a["index_shape"])
            index = sparse.csr_matrix(
                (a["index_data"].astype(np.float32), a["index_indices"], a["index_indptr"]), shape=shape
            )
            cats = None
            if "cat_coef" in a.files:
                cats = Linear(a["cat_coef"], a["cat_intercept"], a["cat_classes"])
            return cls(
                vec=Vectoriser([str(t) for t in a["terms"]], a["idf"]),
                index=index,
                doc_kind=a["doc_kind"],
                doc_id=a["doc_id"],
                doc_lead=a["doc_lead"],
                co_indptr=a["co_indptr"],
                co_ids=a["co_ids"],
                units=Linear(a["unit_coef"], a["unit_intercept"], a["unit_classes"]),
                categories=cats,
            )
