"""gradflow_capture: record a micrograd, PyTorch or JAX computation as a gradflow graph file.

    from gradflow_capture.micrograd import save      # save(loss, "lesson.json")
    from gradflow_capture.torch import capture       # with capture(model) as g: ...; g.save(path, loss)
    from gradflow_capture.jax import save            # save(f, *args, path="lesson.json")

then ``gradflow step lesson.json``. Each framework's module imports only that framework; this
package itself imports none.
"""

from ._graph import CaptureError, Recorder

__all__ = ["CaptureError", "Recorder"]
__version__ = "0.1.0"
