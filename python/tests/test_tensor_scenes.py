"""The tensor scenes of Scenes/ against the NumPy reference: `gradflow grad --format json` gives
the value and every gradient entry of the hand-written NumPy backward (to 1e-12), and the 2-2-1
MLP in tensor form gives Scenes/mlp.scene's numbers to the last digit."""

import json
import os
import unittest

import numpy as np

import tensor_reference as reference
import tensor_reference_lectures as lectures
from roundtrip import REPOSITORY, gradflow

SCENES = os.path.join(REPOSITORY, "Scenes")


def grad_json(scene):
    status, stdout, stderr = gradflow("grad", os.path.join(SCENES, scene), "--format", "json")
    if status != 0:
        raise AssertionError(f"gradflow grad {scene} exited {status}: {stderr}")
    return json.loads(stdout)["outputs"]


class TensorScenesAgreeWithNumPy(unittest.TestCase):
    def test_every_example(self):
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            with self.subTest(scene=example.scene):
                value, gradient = reference.value_and_gradient(example)
                output, = [o for o in grad_json(example.scene) if o["name"] == example.output]
                np.testing.assert_allclose(output["value"], value, rtol=1e-12)
                self.assertEqual(sorted(output["gradient"]), sorted(gradient))
                for name, expected in gradient.items():
                    got = np.array(output["gradient"][name], dtype=np.float64)
                    self.assertEqual(got.shape, np.shape(expected), f"{example.scene}: {name}")
                    # Entries near zero are compared on the scale of the largest one.
                    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15 * np.abs(expected).max(),
                                               err_msg=f"{example.scene}: {name}")


class TheMLPInTensorFormIsTheScalarScene(unittest.TestCase):
    def test_to_the_last_digit(self):
        # The same computation in the same order: the JSON numbers are the same doubles.
        tensor, = grad_json("tensors/mlp-tensors.scene")
        scalar, = grad_json("mlp.scene")
        self.assertEqual(tensor["value"], scalar["value"])
        g, s = tensor["gradient"], scalar["gradient"]
        pairs = [(g["x"][j], s[f"x{j + 1}"]) for j in range(2)]
        pairs += [(g["W"][i][j], s[f"w{i + 1}{j + 1}"]) for i in range(2) for j in range(2)]
        pairs += [(g["b"][i], s[f"b{i + 1}"]) for i in range(2)]
        pairs += [(g["v"][i], s[f"v{i + 1}"]) for i in range(2)]
        pairs += [(g["c"], s["c"])]
        for tensor_entry, scalar_entry in pairs:
            self.assertEqual(tensor_entry, scalar_entry)


if __name__ == "__main__":
    unittest.main()
