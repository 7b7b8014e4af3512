"""The NumPy reference of the tensor scenes: its hand-written backward passes agree with central
differences, and with the published numbers where there are some (the PyTorch tutorial)."""

import unittest

import numpy as np

import tensor_reference as reference
import tensor_reference_lectures as lectures


class HandWrittenBackwardAgreesWithCentralDifferences(unittest.TestCase):
    def test_every_example(self):
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            with self.subTest(example=example.__name__):
                _, gradient = reference.value_and_gradient(example)
                estimate = reference.central_differences(example)
                self.assertEqual(sorted(gradient), sorted(example.inputs))
                for name, start in example.inputs.items():
                    self.assertEqual(np.shape(gradient[name]), np.shape(start), name)
                    # A central difference with h = 1e-6 is good to about 1e-9 here.
                    np.testing.assert_allclose(gradient[name], estimate[name], rtol=1e-6, atol=1e-8,
                                               err_msg=f"{example.__name__}: {name}")

    def test_the_backward_is_not_vacuous(self):
        # Every input of every example moves its output: no gradient is zero throughout.
        for example in reference.EXAMPLES + lectures.EXAMPLES:
            _, gradient = reference.value_and_gradient(example)
            for name, g in gradient.items():
                self.assertGreater(np.abs(g).max(), 1e-3, f"{example.__name__}: {name}")


class PublishedNumbers(unittest.TestCase):
    def test_pytorch_tutorial(self):
        # "A Gentle Introduction to torch.autograd": out = 27, x.grad = 4.5 everywhere.
        value, gradient = reference.value_and_gradient(reference.PyTorchTutorial)
        self.assertAlmostEqual(value, 27, places=12)
        np.testing.assert_allclose(gradient["x"], np.full((2, 2), 4.5), rtol=1e-15)

    def test_mlp_matches_the_sympy_numbers_of_the_scalar_scene(self):
        # Scenes/mlp.scene states its gradients from SymPy at 20 digits.
        value, gradient = reference.value_and_gradient(reference.MLP221)
        self.assertAlmostEqual(value, 0.0025958046731528199, places=15)
        np.testing.assert_allclose(gradient["W"], [[-0.031940339623587156, 0.06388067924717431],
                                                   [0.03531004891289363, -0.07062009782578725]], rtol=1e-12)
        np.testing.assert_allclose(gradient["x"], [0.03733187448647751, 0.05245242711346204], rtol=1e-12)
        np.testing.assert_allclose(gradient["c"], -0.10189807992602844, rtol=1e-12)


if __name__ == "__main__":
    unittest.main()
