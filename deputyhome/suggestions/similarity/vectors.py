"""TF-IDF over token lists, kept as two plain arrays (terms, idf) so it saves without pickle."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse


class Vectoriser:
    """Sublinear tf × smoothed idf, rows normalised to unit length (cosine = dot product)."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray) -> None:
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.index = {t: i for i, t in enumerate(self.terms)}

    @classmethod
    def fit(cls, docs: Sequence[Sequence[str]], *, min_df: int = 1, max_terms: int = 80_000) -> Vectoriser:
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(set(doc))
        n = len(docs)
        kept = [t for t, c in df.items() if c >= min_df]
        kept.sort(key=lambda t: (-df[t], t))
        kept = sorted(kept[:max_terms])
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
        return cls(kept, idf)

    def transform(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        index = self.index
        for doc in docs:
            counts = Counter(index[t] for t in doc if t in index)
            for j, c in counts.items():
                indices.append(j)
                data.append(1.0 + math.log(c))
            indptr.append(len(indices))
        m = sparse.csr_matrix(
            (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
            shape=(len(docs), len(self.terms)),
        )
        m = m.multiply(self.idf.reshape(1, -1)).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms).dot(m), dtype=np.float32)
