"""Shared test settings.

Hypothesis: under CI (``CI=true``) property tests and fuzzing are derandomized, so a CI
run is reproducible; locally each run explores new examples.
"""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
