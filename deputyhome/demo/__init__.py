"""The demo city and its `manage.py demo` command: on top of every other app, imported by none.

The builder is in `builder.py` (`build_demo`); each part of the city has a module of its own.
"""
