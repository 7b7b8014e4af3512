"""The package as installed by `pip install ./python`: imports nothing it does not capture from."""

import subprocess
import sys
import unittest


def modules_after(statement):
    code = f"import sys; {statement}; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


class PackageImports(unittest.TestCase):
    def test_the_package_and_the_micrograd_module_import_no_framework(self):
        loaded = modules_after("import gradflow_capture, gradflow_capture.micrograd")
        self.assertFalse({"torch", "jax", "numpy", "micrograd"} & loaded, loaded & {"torch", "jax", "numpy", "micrograd"})

    def test_the_jax_module_imports_jax_and_not_torch(self):
        loaded = modules_after("import gradflow_capture.jax")
        self.assertIn("jax", loaded)
        self.assertNotIn("torch", loaded)

    def test_the_torch_module_imports_torch_and_not_jax(self):
        loaded = modules_after("import gradflow_capture.torch")
        self.assertIn("torch", loaded)
        self.assertNotIn("jax", loaded)

    def test_installed_from_the_repository_under_its_name(self):
        from importlib.metadata import version
        self.assertEqual(version("gradflow-capture"), "0.1.0")


if __name__ == "__main__":
    unittest.main()
