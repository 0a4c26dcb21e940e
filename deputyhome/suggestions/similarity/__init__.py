"""Similar suggestions and unit routing: the committee's own memory, offline on CPU.

- `tokenise`: jieba with the committee's dictionary of place and unit names, plus character bigrams.
- `vectors`: TF-IDF written out as plain arrays (vocabulary, idf), so a model is saved without pickle.
- `model`: the trained model (index of past cases, unit and category classifiers) and its .npz form.
- `training`: the corpus (history, this year's assigned suggestions, staff choices, units' duties) and fitting.
- `lookup`: the scoped similar list and the routing recommendation with reasons.
"""
