"""Settings for the test suite: the production settings, with test mode switched on explicitly
(cheap password hashing, no secret key required) rather than guessed from what is imported."""

import os

os.environ["FUPIN_TESTING"] = "1"

from fupin.settings import *  # noqa: F403
