"""Helpers for the round-trip tests: run gradflow on a captured graph file."""

import json
import math
import os
import subprocess
import tempfile
import unittest

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GRADFLOW = os.environ.get("GRADFLOW_BINARY", os.path.join(REPOSITORY, ".build", "debug", "gradflow"))


def gradflow(*arguments):
    """Runs gradflow; returns (status, stdout, stderr)."""
    run = subprocess.run([GRADFLOW, *arguments], capture_output=True, text=True, timeout=120)
    return run.returncode, run.stdout, run.stderr


class RoundTrip(unittest.TestCase):
    """A test case with a temporary directory and gradflow's gradients of a graph file."""

    def setUp(self):
        self._directory = tempfile.TemporaryDirectory()
        self.addCleanup(self._directory.cleanup)

    def path(self, name):
        return os.path.join(self._directory.name, name)

    def gradflow_gradients(self, path):
        """{output name: (value, {input name: ∂output/∂input})} by `gradflow grad --format json`."""
        status, stdout, stderr = gradflow("grad", path, "--format", "json")
        self.assertEqual(status, 0, stderr)
        self.assertEqual(stderr, "", "gradflow warned about the captured graph")
        result = {}
        for output in json.loads(stdout)["outputs"]:
            result[output["name"]] = (output["value"], output["gradient"])
        return result

    def assertGradflowChecks(self, path):
        """`gradflow check` passes: recorded numbers agree with the rules, gradients with central differences."""
        status, stdout, stderr = gradflow("check", path)
        self.assertEqual(status, 0, stdout + stderr)
        self.assertIn("against gradflow's rules: all", stdout)

    def assertClose(self, actual, expected, relative=1e-12, message=None):
        actual, expected = float(actual), float(expected)
        scale = max(abs(actual), abs(expected))
        self.assertTrue(abs(actual - expected) <= max(relative * scale, 1e-300),
                        f"{message or ''}: {actual!r} vs {expected!r} (relative {abs(actual - expected) / scale if scale else 0:.3g})")


def is_finite_number(x):
    return isinstance(x, (int, float)) and math.isfinite(x)
