"""PyTorch → graph file → gradflow: the gradients equal autograd's to 1e-12."""

import json
import os
import unittest

import torch

from gradflow_capture import CaptureError
from gradflow_capture.torch import capture, save
from roundtrip import RoundTrip

torch.set_default_dtype(torch.float64)


class TorchRoundTrip(RoundTrip):
    def test_autograd_tutorial(self):
        # PyTorch's autograd tutorial: x = ones(2, 2), y = x + 2, z = y * y * 3, out = z.mean();
        # out = 27 and x.grad = 4.5 everywhere (the tutorial's printed numbers).
        x = torch.ones(2, 2, requires_grad=True)
        with capture() as graph:
            y = x + 2
            z = y * y * 3
            out = z.mean()
        path = self.path("tutorial.json")
        graph.save(path, out, name="out")
        out.backward()
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, 27)
        self.assertEqual(list(gradient), ["x[0,0]", "x[0,1]", "x[1,0]", "x[1,1]"])
        for name, expected in zip(gradient, x.grad.reshape(-1).tolist()):
            self.assertClose(gradient[name], expected, message=name)
            self.assertClose(gradient[name], 4.5, message=name)
        self.assertGradflowChecks(path)

    def test_autograd_tutorial_in_scalar_form(self):
        x = torch.tensor(1.0, requires_grad=True)
        with capture() as graph:
            out = ((x + 2) * (x + 2) * 3).mean()
        path = self.path("scalar.json")
        graph.save(path, out, name="out")
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(gradient["x"], 18)  # d/dx 3(x + 2)² = 6(x + 2) = 18 at x = 1

    def test_mlp_with_cross_entropy_modules_as_groups(self):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
        x = torch.tensor([[0.5, -1.0], [1.5, 0.25]])
        y = torch.tensor([1, 0])
        with capture(model) as graph:
            loss = torch.nn.functional.cross_entropy(model(x), y)
        path = self.path("mlp.json")
        graph.save(path, loss)
        loss.backward()
        (value, gradient), = self.gradflow_gradients(path).values()
        self.assertClose(value, loss.item())
        expected = {f"{name}[{','.join(map(str, index))}]": parameter.grad[index].item()
                    for name, parameter in model.named_parameters() for index in _indices(parameter.shape)}
        self.assertEqual(set(gradient), set(expected))  # the parameters are the inputs, x and y data
        for name, wanted in expected.items():
            self.assertClose(gradient[name], wanted, message=name)
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        self.assertEqual([group["label"] for group in document["groups"]],
                         ["Sequential", "0 (Linear)", "1 (Tanh)", "2 (Linear)"])
        self.assertGradflowChecks(path)

    def test_save_runs_a_function_with_its_modules(self):
        torch.manual_seed(1)
        model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Sigmoid())
        x = torch.tensor([0.2, -0.4, 0.9])

        def loss_of(model, x):
            return torch.nn.functional.mse_loss(model(x), torch.tensor([1.0]))
        path = self.path("fn.json")
        save(loss_of, model, x, path=path)
        loss = loss_of(model, x)
        loss.backward()
        (value, gradient), = self.gradflow_gradients(path).values()
        for name, parameter in model.named_parameters():
            for index in _indices(parameter.shape):
                key = f"{name}[{','.join(map(str, index))}]"
                self.assertClose(gradient[key], parameter.grad[index].item(), message=key)

    def test_an_unknown_operation_is_refused_by_name(self):
        x = torch.tensor(0.5, requires_grad=True)
        with self.assertRaises(CaptureError) as raised:
            with capture():
                torch.erf(x)
        self.assertIn("aten.erf", str(raised.exception))

    def test_a_detach_in_the_forward_pass_is_refused_not_written(self):
        # autograd sees no path through the detached factor; a graph file would show one.
        x = torch.tensor(2.0, requires_grad=True)
        with capture() as graph:
            out = x * x.detach()
        path = self.path("never.json")
        with self.assertRaises(CaptureError) as raised:
            graph.save(path, out)
        self.assertIn("torch.autograd.grad", str(raised.exception))
        self.assertFalse(os.path.exists(path))


def _indices(shape):
    import itertools
    return itertools.product(*(range(extent) for extent in shape))


if __name__ == "__main__":
    unittest.main()
