"""JAX → graph file → gradflow: the gradients equal jax.grad's to 1e-12."""

import json
import unittest

import jax
import jax.numpy as jnp

from gradflow_capture import CaptureError
from gradflow_capture.jax import save
from roundtrip import RoundTrip

jax.config.update("jax_enable_x64", True)


class JaxRoundTrip(RoundTrip):
    def assertMatchesJaxGrad(self, f, args, names, path):
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, f(*args))
        expected = jax.grad(f, argnums=tuple(range(len(args))))(*args)
        flat = [float(x) for g in expected for x in jnp.ravel(g).tolist()]
        self.assertEqual(list(gradient), names)
        for name, wanted in zip(names, flat):
            self.assertClose(gradient[name], wanted, message=name)

    def test_dot_and_tanh(self):
        # A neuron: tanh(w · x + b), reduced to a scalar graph (a multiply per term, one sum).
        def neuron(w, x, b):
            return jnp.tanh(jnp.dot(w, x) + b)
        args = (jnp.array([-3.0, 1.0]), jnp.array([2.0, 0.0]), jnp.array(6.8813735870195432))
        path = self.path("neuron.json")
        save(neuron, *args, path=path)
        self.assertMatchesJaxGrad(neuron, args, ["w[0]", "w[1]", "x[0]", "x[1]", "b"], path)
        # The micrograd lecture's numbers: o = 1/√2, ∂o/∂w1 = x1 · (1 − o²) = 1.
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, 2 ** -0.5, relative=1e-9)
        self.assertClose(gradient["w[0]"], 1.0, relative=1e-9)
        self.assertGradflowChecks(path)

    def test_a_two_layer_network_with_a_jitted_layer_as_a_group(self):
        @jax.jit
        def layer(W, x, b):
            return jnp.tanh(W @ x + b)

        def loss(W1, b1, W2, x):
            h = layer(W1, x, b1)
            return jnp.sum((W2 @ h - 0.5) ** 2) / 2 + jax.nn.sigmoid(h[0]) * jnp.maximum(h[1], 0.1)

        args = (jnp.array([[0.5, -1.0], [0.25, 0.75], [1.5, -0.5]]), jnp.array([0.1, -0.2, 0.3]),
                jnp.array([[1.0, -2.0, 0.5]]), jnp.array([1.0, 2.0]))
        path = self.path("mlp.json")
        save(loss, *args, path=path)
        names = [f"W1[{i},{j}]" for i in range(3) for j in range(2)] + [f"b1[{i}]" for i in range(3)] \
            + [f"W2[0,{j}]" for j in range(3)] + ["x[0]", "x[1]"]
        self.assertMatchesJaxGrad(loss, args, names, path)
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        self.assertEqual([group["label"] for group in document["groups"]], ["layer"])
        self.assertGradflowChecks(path)

    def test_an_unknown_primitive_is_refused_by_name(self):
        def f(x):
            return jnp.sum(jnp.cumsum(x))
        with self.assertRaises(CaptureError) as raised:
            save(f, jnp.array([1.0, 2.0]), path=self.path("never.json"))
        self.assertIn("the JAX primitive `cumsum`", str(raised.exception))

    def test_a_custom_derivative_that_its_body_does_not_have_is_refused(self):
        # The body says 2x; the custom rule says 3x. Inlining the body would give a graph whose
        # gradient is not jax.grad's: the capture refuses instead of writing it.
        @jax.custom_jvp
        def square(x):
            return x ** 2

        @square.defjvp
        def square_jvp(primals, tangents):
            (x,), (t,) = primals, tangents
            return square(x), 3 * x * t

        path = self.path("never.json")
        with self.assertRaises(CaptureError) as raised:
            save(lambda x: square(x) + 1.0, jnp.array(2.0), path=path)
        self.assertIn("jax.grad", str(raised.exception))
        self.assertIn("6.0", str(raised.exception))
        import os
        self.assertFalse(os.path.exists(path))

    def test_a_branch_is_recorded_as_taken(self):
        def f(x):
            return jnp.where(x > 1.0, x * 2.0, x ** 3)
        for point, slope in ((3.0, 2.0), (0.5, 0.75)):
            path = self.path(f"where-{point}.json")
            save(f, jnp.array(point), path=path)
            (value, gradient), = self.gradflow_gradients(path).values()
            self.assertClose(gradient["x"], slope)


if __name__ == "__main__":
    unittest.main()
