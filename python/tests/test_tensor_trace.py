"""`gradflow trace` on the tensor scenes of Scenes/ against the NumPy reference.

Every number the trace shows is checked against an independent value: the values of the named
nodes against the NumPy forward pass; the adjoints they end with against a backward pass written
by hand here (from the reference's intermediates); every row's `after` against `before +
contribution` and its `incoming` against the adjoint its node ends with; the tangents with
respect to one element (`--wrt W[0, 1]`) against central differences of the NumPy forward pass.
The CSV form is parsed back and holds the same numbers as the JSON form.
"""

import csv
import io
import json
import os
import unittest

import numpy as np

import tensor_reference as reference
import tensor_reference_lectures as lectures
from roundtrip import REPOSITORY, gradflow

SCENES = os.path.join(REPOSITORY, "Scenes")


def trace(scene, *options, format="json"):
    status, stdout, stderr = gradflow("trace", os.path.join(SCENES, scene), "--format", format, *options)
    if status != 0:
        raise AssertionError(f"gradflow trace {scene} exited {status}: {stderr}")
    return json.loads(stdout) if format == "json" else stdout


def forward(example, inputs=None):
    instance = example()
    value = instance.forward(**{n: np.array(v, dtype=np.float64) for n, v in (inputs or example.inputs).items()})
    return instance, value


# Node name → the reference's attribute holding its value (the scene and the reference name
# their intermediates alike).
VALUES = {
    reference.PyTorchTutorial: {"y": "y"},
    reference.LinearRegression: {"r": "r"},
    reference.BatchMLP: {"h": "h", "logits": "logits"},
    reference.AttentionHead: {"Q": "Q", "K": "K", "V": "V", "A": "A", "O": "O"},
    reference.MLP221: {"h": "h", "e": "e"},
    reference.ReluMLPCrossEntropy: {"a": "a", "h": "h", "z": "z"},
    reference.CausalAttention: {"Q": "Q", "K": "K", "V": "V", "A": "A", "O": "O"},
    reference.RNNTwentySteps: {"y": "y"},
    reference.LayerNorm: {"xhat": "xhat"},
    **lectures.VALUES,
}


def adjoints(example):
    """The adjoints of named intermediates, by hand from the reference's forward pass."""
    if example in lectures.EXAMPLES:
        return lectures.adjoints(example)
    s, _ = forward(example)
    if example is reference.PyTorchTutorial:
        return {"z": np.full((2, 2), 0.25), "y": np.full((2, 2), 4.5)}
    if example is reference.LinearRegression:
        return {"r": 2 * s.r / 8, "pred": 2 * s.r / 8}
    if example is reference.BatchMLP:
        logp_bar = s.Y * np.full(4, -1 / 4)[:, None]
        logits_bar = reference.log_softmax_backward(s.logits, logp_bar)
        return {"logp": logp_bar, "logits": logits_bar, "h": logits_bar @ s.W2.T}
    if example is reference.AttentionHead:
        O_bar = 2 * (s.O - s.T) / s.O.size
        A_bar = O_bar @ s.V.T
        S_bar = reference.softmax_backward(s.A, A_bar)           # S = Q Kᵀ / √2, A = softmax(S)
        return {"O": O_bar, "A": A_bar, "V": s.A.T @ O_bar, "S": S_bar,
                "Q": S_bar / np.sqrt(2) @ s.K, "K": (S_bar / np.sqrt(2)).T @ s.Q}
    if example is reference.MLP221:
        y_bar = 2 * s.e
        h_bar = y_bar * s.v
        return {"e": y_bar, "y": y_bar, "h": h_bar, "a": h_bar * (1 - s.h ** 2)}
    if example is reference.ReluMLPCrossEntropy:
        z_bar = reference.softmax(s.z) / 4
        z_bar[np.arange(4), s.labels] -= 1 / 4
        h_bar = z_bar @ s.W2.T
        return {"z": z_bar, "h": h_bar, "a": h_bar * (s.a > 0)}
    if example is reference.CausalAttention:
        O_bar = 2 * s.O / s.O.size
        O_bar[2] += np.array([1.0, -1.0])
        A_bar = O_bar @ s.V.T
        S_bar = reference.softmax_backward(s.A, A_bar) / np.sqrt(2)
        return {"O": O_bar, "A": A_bar, "V": s.A.T @ O_bar, "Q": S_bar @ s.K, "K": S_bar.T @ s.Q}
    if example is reference.RNNTwentySteps:
        return {"y": 2 * s.e}
    if example is reference.LayerNorm:
        return {"xhat": s.g + 0.2 * s.k * s.xhat}
    raise KeyError(example)


def final_adjoints(document, output):
    """Each node's adjoint after the last step that reaches it (the output's is 1)."""
    final = {output: 1.0}
    for step in document["reverse"][0]["contributions"]:
        final[step["to"]] = step["after"]
    return final


class TheTraceAgreesWithNumPy(unittest.TestCase):
    def test_values_and_adjoints(self):
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            with self.subTest(scene=example.scene):
                document = trace(example.scene)
                instance, value = forward(example)
                nodes = {row["node"]: row for row in document["primal"]}
                np.testing.assert_allclose(nodes[example.output]["value"], value, rtol=1e-12)
                for node, attribute in VALUES[example].items():
                    expected = getattr(instance, attribute)
                    self.assertEqual(nodes[node]["shape"], list(np.shape(expected)), node)
                    np.testing.assert_allclose(np.array(nodes[node]["value"]), expected, rtol=1e-12, atol=1e-15, err_msg=node)
                final = final_adjoints(document, example.output)
                _, gradient = reference.value_and_gradient(example)
                for name, expected in list(gradient.items()) + list(adjoints(example).items()):
                    scale = max(1e-300, float(np.abs(expected).max()))
                    np.testing.assert_allclose(np.array(final[name]), expected, rtol=1e-12, atol=1e-15 * scale, err_msg=name)
                    if name in gradient:
                        self.assertEqual(document["reverse"][0]["gradient"][name], final[name])

    def test_every_row_adds_up(self):
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            with self.subTest(scene=example.scene):
                document = trace(example.scene)
                final = final_adjoints(document, example.output)
                for step in document["reverse"][0]["contributions"]:
                    # The same double additions the engine made: exactly equal.
                    np.testing.assert_array_equal(np.array(step["after"]), np.array(step["before"]) + np.array(step["contribution"]))
                    np.testing.assert_array_equal(np.array(step["incoming"]), np.array(final[step["from"]]))
                    self.assertIn("+=", step["rule"])

    def test_tangents_with_respect_to_one_element(self):
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            name, start = next((n, v) for n, v in example.inputs.items() if np.ndim(v) > 0)
            index = (0, 1) if np.ndim(start) == 2 else (1,)
            with self.subTest(scene=example.scene, wrt=name):
                written = f"{name}[{', '.join(map(str, index))}]"
                document = trace(example.scene, "--wrt", written, "--only", "tangent")
                self.assertEqual(document["tangent"]["input"], name)
                self.assertEqual(document["tangent"]["element"], list(index))
                tangents = {row["node"]: np.array(row["tangent"]) for row in document["tangent"]["nodes"]}
                h = 1e-6
                moved = []
                for sign in (1, -1):
                    inputs = {n: np.array(v, dtype=np.float64) for n, v in example.inputs.items()}
                    inputs[name][index] += sign * h
                    moved.append(forward(example, inputs))
                (up, up_value), (down, down_value) = moved
                np.testing.assert_allclose(tangents[example.output], (up_value - down_value) / (2 * h), rtol=1e-6, atol=1e-9)
                seed = np.zeros(np.shape(start))
                seed[index] = 1
                np.testing.assert_array_equal(tangents[name], seed)
                for node, attribute in VALUES[example].items():
                    central = (getattr(up, attribute) - getattr(down, attribute)) / (2 * h)
                    np.testing.assert_allclose(tangents[node], central, rtol=1e-6, atol=1e-9, err_msg=node)


class TheCSVHoldsTheJSONNumbers(unittest.TestCase):
    def test_parsed_back(self):
        scene = reference.AttentionHead.scene
        document = trace(scene)
        sections = trace(scene, format="csv").split("\n\n")
        primal = list(csv.DictReader(io.StringIO(sections[0])))
        adjoint = list(csv.DictReader(io.StringIO(sections[1])))
        self.assertEqual([row["node"] for row in primal], [row["node"] for row in document["primal"]])
        for row, expected in zip(primal, document["primal"]):
            self.assertEqual(json.loads(row["shape"]), expected["shape"])
            self.assertEqual(json.loads(row["value"]), expected["value"])
        steps = document["reverse"][0]["contributions"]
        self.assertEqual(len(adjoint), len(steps))
        for row, expected in zip(adjoint, steps):
            self.assertEqual((row["from"], row["to"], int(row["step"])), (expected["from"], expected["to"], expected["step"]))
            for field in ("incoming", "contribution", "before", "after"):
                self.assertEqual(json.loads(row[field]), expected[field])


if __name__ == "__main__":
    unittest.main()
