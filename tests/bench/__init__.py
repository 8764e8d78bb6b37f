"""`make bench`. The benches run on a machine where `make run` may never have made the demo's
keys: each gets random ones of its own (they sign only its throw-away sessions)."""

import os

from livret.instance_keys import new_kek, new_secret_key

os.environ.setdefault("SECRET_KEY", new_secret_key())
os.environ.setdefault("LIVRET_KEY_ENCRYPTION_KEY", new_kek())
