"""micrograd → graph file → gradflow: the gradients equal micrograd's own to 1e-12."""

import json
import unittest

from micrograd.engine import Value
from micrograd.nn import MLP, Neuron

from gradflow_capture import CaptureError
from gradflow_capture.micrograd import save
from roundtrip import RoundTrip, gradflow


class MicrogradRoundTrip(RoundTrip):
    def test_readme_expression(self):
        # micrograd's README, verbatim: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773.
        a = Value(-4.0)
        b = Value(2.0)
        c = a + b
        d = a * b + b**3
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        g += 10.0 / f
        g.backward()
        path = self.path("readme.json")
        save(g, path)
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, g.data)
        self.assertEqual(set(gradient), {"a", "b"})  # the plain numbers became constants
        self.assertClose(gradient["a"], a.grad)
        self.assertClose(gradient["b"], b.grad)
        # The published numbers, independently of both tools.
        self.assertEqual(f"{value:.4f} {gradient['a']:.4f} {gradient['b']:.4f}", "24.7041 138.8338 645.5773")
        self.assertGradflowChecks(path)

    def test_neuron_from_micrograd_nn(self):
        neuron = Neuron(3)
        for weight, value in zip(neuron.w, [0.5, -1.25, 2.0]):
            weight.data = value
        neuron.b.data = 0.1
        x = [1.5, 2.0, -0.5]
        out = neuron(x)
        out.backward()
        names = {w: f"w{i + 1}" for i, w in enumerate(neuron.w)}
        names[neuron.b] = "b"
        path = self.path("neuron.json")
        save(out, path, inputs=neuron.parameters(), names=names)
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, out.data)
        self.assertEqual(list(gradient), ["w1", "w2", "w3", "b"])
        for parameter, name in names.items():
            self.assertClose(gradient[name], parameter.grad, message=name)
        # By hand: out = relu(0.75 − 2.5 − 1 + 0.1) = relu(−2.65) = 0, so every gradient is 0.
        self.assertEqual(value, 0)
        self.assertEqual(set(gradient.values()), {0})

    def test_lecture_tanh_neuron_with_labels(self):
        # The lecture's Value carries a label and a tanh op (x1 = 2, x2 = 0, w1 = −3, w2 = 1,
        # b = 6.8813735870195432): o = 1/√2, ∂o/∂w1 = x1 · (1 − o²) = 1, ∂o/∂x1 = w1 · 0.5 = −1.5.
        class LectureValue:
            """The lecture notebook's Value, trimmed to what this neuron uses."""

            def __init__(self, data, _children=(), _op="", label=""):
                self.data, self.grad, self.label = data, 0.0, label
                self._prev, self._op, self._backward = set(_children), _op, lambda: None

            def __add__(self, other):
                out = LectureValue(self.data + other.data, (self, other), "+")

                def _backward():
                    self.grad += out.grad
                    other.grad += out.grad
                out._backward = _backward
                return out

            def __mul__(self, other):
                out = LectureValue(self.data * other.data, (self, other), "*")

                def _backward():
                    self.grad += other.data * out.grad
                    other.grad += self.data * out.grad
                out._backward = _backward
                return out

            def tanh(self):
                import math
                t = math.tanh(self.data)
                out = LectureValue(t, (self,), "tanh")

                def _backward():
                    self.grad += (1 - t**2) * out.grad
                out._backward = _backward
                return out

            def backward(self):
                order, seen = [], set()

                def visit(v):
                    if v not in seen:
                        seen.add(v)
                        for child in v._prev:
                            visit(child)
                        order.append(v)
                visit(self)
                self.grad = 1.0
                for v in reversed(order):
                    v._backward()

        x1, x2 = LectureValue(2.0, label="x1"), LectureValue(0.0, label="x2")
        w1, w2 = LectureValue(-3.0, label="w1"), LectureValue(1.0, label="w2")
        b = LectureValue(6.8813735870195432, label="b")
        n = x1 * w1 + x2 * w2 + b
        o = n.tanh()
        o.label = "o"
        o.backward()
        path = self.path("lecture.json")
        save(o, path)
        (value, gradient), = self.gradflow_gradients(path).values()
        for leaf in (x1, x2, w1, w2, b):
            self.assertClose(gradient[leaf.label], leaf.grad, message=leaf.label)
        self.assertClose(gradient["w1"], 1.0, relative=1e-9)
        self.assertClose(gradient["x1"], -1.5, relative=1e-9)
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        self.assertEqual(document["outputs"], [{"name": "o", "node": len(document["nodes"]) - 1}])

    def test_small_mlp(self):
        import random
        random.seed(1)
        model = MLP(2, [3, 1])
        x = [Value(0.7), Value(-1.3)]
        loss = (model(x) - 1.0) ** 2
        loss.backward()
        names = {p: f"p{i}" for i, p in enumerate(model.parameters())}
        path = self.path("mlp.json")
        save(loss, path, inputs=model.parameters(), names=names)
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, loss.data)
        self.assertEqual(len(gradient), len(model.parameters()))
        for parameter, name in names.items():
            self.assertClose(gradient[name], parameter.grad, message=name)

    def test_an_unknown_op_is_refused_by_name(self):
        x = Value(2.0)
        y = Value(x.data ** 0.5, (x,), "sqrt")
        with self.assertRaises(CaptureError) as raised:
            save(y, self.path("never.json"))
        self.assertIn("micrograd op 'sqrt'", str(raised.exception))

    def test_the_file_is_what_gradflow_steps_through(self):
        a, b = Value(2.0), Value(-3.0)
        loss = (a * b).relu() + a ** 2
        path = self.path("small.json")
        save(loss, path)
        status, stdout, stderr = gradflow("trace", path, "--only", "primal")
        self.assertEqual(status, 0, stderr)
        self.assertIn("a^2", stdout)


if __name__ == "__main__":
    unittest.main()
