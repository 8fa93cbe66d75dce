from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at minimal cost, for the test suite only: still argon2, just not slow."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
