"""The numbers in `gradflow export` pictures of the tensor scenes against the NumPy reference
(tensor_reference.py, a hand-written backward checked against central differences): every entry
of every matrix drawn for an input (value and gradient) and for the intermediate tensors the
reference computes, read back from the SVG's text as a reader sees it."""

import os
import unittest
import xml.etree.ElementTree as ElementTree

import numpy as np

import tensor_reference as reference
import tensor_reference_lectures as lectures
from roundtrip import REPOSITORY, gradflow

SCENES = os.path.join(REPOSITORY, "Scenes")
SVG = "{http://www.w3.org/2000/svg}"

# Intermediate tensors drawn in the pictures, by node name: the reference's attribute after forward().
INTERMEDIATES = {
    reference.PyTorchTutorial: {"y": "y"},
    reference.AttentionHead: {"Q": "Q", "K": "K", "V": "V", "A": "A", "O": "O"},
    reference.MLP221: {"h": "h"},
    reference.CausalAttention: {"Q": "Q", "K": "K", "V": "V", "A": "A", "O": "O"},
    reference.LayerNorm: {"xhat": "xhat"},
    **lectures.VALUES,
}


def drawn_in_full(shape):
    """A picture draws a tensor entry by entry up to 4×4 (a vector up to 16), else a summary."""
    return len(shape) == 1 and shape[0] <= 16 or len(shape) == 2 and max(shape) <= 4


def drawn_tensors(scene):
    """{node name: (value entries, gradient entries)} of every matrix in the final picture."""
    status, svg, stderr = gradflow("export", os.path.join(SCENES, scene), "-o", "-", "--format", "svg",
                                   "--precision", "15")
    if status != 0:
        raise AssertionError(f"gradflow export {scene} exited {status}: {stderr}")
    tensors = {}
    for group in ElementTree.fromstring(svg).iter(SVG + "g"):
        if group.get("class") != "node":
            continue
        texts = [text.text or "" for text in group.iter(SVG + "text")]
        if "value" not in texts or "grad" not in texts:
            continue
        value_at, grad_at = texts.index("value"), texts.index("grad")
        try:
            values = [float(t) for t in texts[value_at + 1:grad_at]]
            grads = [float(t) for t in texts[grad_at + 1:]]
        except ValueError:
            continue  # a summary (a large tensor), not entries
        tensors[texts[0]] = (values, grads)
    return tensors


class ExportedMatricesAgreeWithNumPy(unittest.TestCase):
    def assertEntries(self, drawn, expected, what):
        expected = np.asarray(expected, dtype=np.float64).ravel()
        self.assertEqual(len(drawn), expected.size, what)
        # 15 significant digits are drawn: agreement to 1e-12 leaves room for the last one.
        np.testing.assert_allclose(drawn, expected, rtol=1e-12, atol=1e-15 * max(1.0, np.abs(expected).max()),
                                   err_msg=what)

    def test_every_example(self):
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            with self.subTest(scene=example.scene):
                instance = example()
                instance.forward(**{name: np.array(v) for name, v in example.inputs.items()})
                gradient = instance.backward()
                drawn = drawn_tensors(example.scene)
                for name, start in example.inputs.items():
                    if np.ndim(start) == 0:
                        continue  # a scalar input is drawn as before, one number
                    if not drawn_in_full(np.shape(start)):
                        continue  # W1 of the ReLU MLP is 2×5: its shape, first entries, min, max and mean
                    self.assertIn(name, drawn, f"{example.scene}: no matrix drawn for {name}")
                    values, grads = drawn[name]
                    self.assertEntries(values, start, f"{example.scene}: value of {name}")
                    self.assertEntries(grads, gradient[name], f"{example.scene}: gradient of {name}")
                for name, attribute in INTERMEDIATES.get(example, {}).items():
                    self.assertIn(name, drawn, f"{example.scene}: no matrix drawn for {name}")
                    self.assertEntries(drawn[name][0], getattr(instance, attribute), f"{example.scene}: value of {name}")


if __name__ == "__main__":
    unittest.main()
