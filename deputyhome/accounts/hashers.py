"""The hash of the machine-made one-time passwords a batch of deputies' accounts starts with.

A password a person chose is hashed slowly (PBKDF2, Django's default: about 0.25 s), so that a leaked table does
not give it away by guessing. A one-time password made by `services.new_one_time_password` is twelve random
characters of 56 (about 70 bits): no guessing finds it at any speed, and it is void after its days. Hashed with
1,000 rounds (a third of a millisecond), a thousand accounts are made in a second instead of four minutes. At the
first login Django hashes it again with the default hasher, and the user must change it at once.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher

ONE_TIME_CODE = "onetime_pbkdf2_sha256"


class OneTimeCodeHasher(PBKDF2PasswordHasher):
    """Only for `new_one_time_password`'s codes (listed last in `PASSWORD_HASHERS`: never the default)."""

    algorithm = ONE_TIME_CODE
    iterations = 1_000
