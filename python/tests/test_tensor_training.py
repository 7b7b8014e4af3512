"""Training runs of tensor scenes against NumPy: `gradflow train --format json` on
Scenes/tensors/softmax-regression-train.scene gives the loss of every step, the weights it ends
with and the last gradient of an independent run of the same 60 steps, written here with
NumPy and a backward pass written by hand (∂loss/∂logits = (softmax − Y) / N)."""

import json
import os
import unittest

import numpy as np

from roundtrip import REPOSITORY, gradflow

SCENE = os.path.join(REPOSITORY, "Scenes", "tensors", "softmax-regression-train.scene")

X = np.array([[1, 0.5], [2, 1], [-1, 1.5], [-2, 0.5], [0.5, -1.5], [-0.5, -2]], dtype=np.float64)
Y = np.eye(3)[[0, 0, 1, 1, 2, 2]]


def softmax_regression_run(steps=60, lr=1.0):
    """Plain gradient descent from W = 0, b = 0: each step's loss (before its update), the
    weights after the last update and the last gradient."""
    W, b = np.zeros((3, 2)), np.zeros(3)
    losses = []
    for _ in range(steps):
        logits = X @ W.T + b
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        losses.append(-(Y * log_p).sum(axis=1).mean())
        logits_bar = (np.exp(log_p) - Y) / len(X)
        W_bar, b_bar = logits_bar.T @ X, logits_bar.sum(axis=0)
        W, b = W - lr * W_bar, b - lr * b_bar
    return np.array(losses), W, b, W_bar, b_bar


class SoftmaxRegressionTrainsAsNumPyDoes(unittest.TestCase):
    def test_every_step(self):
        status, stdout, stderr = gradflow("train", SCENE, "--format", "json")
        self.assertEqual(status, 0, stderr)
        run = json.loads(stdout)
        losses, W, b, W_bar, b_bar = softmax_regression_run()
        self.assertEqual(run["steps"], 60)
        # The first loss is ln 3: every class has probability 1/3 at W = 0, b = 0.
        self.assertAlmostEqual(run["losses"][0], np.log(3), delta=1e-15)
        np.testing.assert_allclose(run["losses"], losses, rtol=1e-11)
        np.testing.assert_allclose(run["initialInputs"]["W"], np.zeros((3, 2)), atol=0)
        np.testing.assert_allclose(run["finalInputs"]["W"], W, rtol=1e-11)
        np.testing.assert_allclose(run["finalInputs"]["b"], b, rtol=1e-11)
        np.testing.assert_allclose(run["lastGradient"]["W"], W_bar, rtol=1e-9)
        np.testing.assert_allclose(run["lastGradient"]["b"], b_bar, rtol=1e-9)

    def test_the_reference_gradient_is_the_central_difference(self):
        # The hand-written backward, checked at a point away from zero.
        rng = np.random.default_rng(3)
        W, b = rng.normal(size=(3, 2)), rng.normal(size=3)

        def loss(W, b):
            logits = X @ W.T + b
            return -(Y * (logits - np.log(np.exp(logits).sum(axis=1, keepdims=True)))).sum(axis=1).mean()

        logits = X @ W.T + b
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        W_bar = ((p - Y) / len(X)).T @ X
        h = 1e-6
        for i in range(3):
            for j in range(2):
                step = np.zeros((3, 2))
                step[i, j] = h
                central = (loss(W + step, b) - loss(W - step, b)) / (2 * h)
                self.assertAlmostEqual(W_bar[i, j], central, delta=1e-8)


if __name__ == "__main__":
    unittest.main()
