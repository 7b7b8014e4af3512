"""The lecture examples of the tensor scenes, in NumPy, each with a backward pass written by hand.

An independent implementation: it shares no code with gradflow, and its gradients are checked
against central differences (test_tensor_reference.py) before they are compared with
`gradflow grad` on the scenes of the same name in Scenes/.

Each example is a class with `inputs` (name → array, the scene's `input`s), the constants it
reads, `forward(**inputs)` → the scalar output, and `backward()` → name → gradient, from the
intermediates of the last forward pass. Every backward rule is the vector–Jacobian product of
its forward step, written out next to it.
"""

import numpy as np


def array(values):
    return np.array(values, dtype=np.float64)


def softmax(x):
    """Softmax over the last axis (shifted by the row maximum, as every careful implementation is)."""
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def softmax_backward(y, y_bar):
    """x̄ = ȳ ⊙ y − y (ȳ · y) row by row, for y = softmax(x)."""
    return y_bar * y - y * (y_bar * y).sum(axis=-1, keepdims=True)


def log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_softmax_backward(x, y_bar):
    """x̄ = ȳ − softmax(x) Σ ȳ row by row, for y = log_softmax(x)."""
    return y_bar - softmax(x) * y_bar.sum(axis=-1, keepdims=True)


class PyTorchTutorial:
    """x = ones(2, 2); y = x + 2; z = y * y * 3; out = mean(z): out 27, x̄ = 4.5 everywhere."""

    scene = "tensors/two-by-two.scene"
    output = "out"
    inputs = {"x": np.ones((2, 2))}

    def forward(self, x):
        self.y = x + 2
        self.yy = self.y * self.y
        z = self.yy * 3
        return z.mean()

    def backward(self):
        z_bar = np.full((2, 2), 1 / 4)              # out = Σ z / 4
        yy_bar = z_bar * 3                          # z = yy · 3
        y_bar = yy_bar * self.y + yy_bar * self.y   # yy = y · y: y read twice
        return {"x": y_bar}                         # y = x + 2


class LinearRegression:
    """Eight points with two features: pred = X @ w + b, L = mean((pred − t)²)."""

    scene = "tensors/linear-regression-tensors.scene"
    output = "L"
    X = array([[0.5, 1.0], [1.0, -0.5], [1.5, 0.25], [2.0, 1.5],
               [-0.5, 0.75], [-1.0, -1.25], [0.25, -2.0], [3.0, 0.5]])
    t = array([1.2, 0.9, 2.1, 3.4, -0.3, -2.2, -1.5, 4.1])
    inputs = {"w": array([0.8, 0.3]), "b": array(0.1)}

    def forward(self, w, b):
        self.r = self.X @ w + b - self.t
        return (self.r ** 2).mean()

    def backward(self):
        r_bar = 2 * self.r / len(self.t)            # L = Σ r² / 8
        return {"w": self.X.T @ r_bar,              # pred = X @ w: w̄ = Xᵀ r̄
                "b": r_bar.sum()}                   # b broadcast to every row: b̄ = Σ r̄


class BatchMLP:
    """A 3-4-3 MLP (tanh) on a batch of 4, softmax cross-entropy against one-hot labels Y."""

    scene = "tensors/mlp-batch-softmax-tensors.scene"
    output = "L"
    X = array([[0.2, -0.4, 1.0], [1.5, 0.3, -0.7], [-0.6, 0.9, 0.1], [0.0, -1.2, 0.5]])
    Y = array([[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]])
    inputs = {
        "W1": array([[0.1, -0.3, 0.5, 0.2], [-0.4, 0.6, 0.1, -0.2], [0.3, 0.2, -0.5, 0.4]]),
        "b1": array([0.05, -0.1, 0.0, 0.2]),
        "W2": array([[0.7, -0.2, 0.1], [-0.5, 0.4, 0.3], [0.2, 0.6, -0.4], [0.1, -0.3, 0.5]]),
        "b2": array([0.0, 0.1, -0.1]),
    }

    def forward(self, W1, b1, W2, b2):
        self.W2 = W2
        self.h = np.tanh(self.X @ W1 + b1)
        self.logits = self.h @ W2 + b2
        per_example = (self.Y * log_softmax(self.logits)).sum(axis=1)
        return -per_example.mean()

    def backward(self):
        per_example_bar = np.full(4, -1 / 4)                     # L = −Σ e / 4
        log_probabilities_bar = self.Y * per_example_bar[:, None]  # e = Σ_cols Y ⊙ log p
        logits_bar = log_softmax_backward(self.logits, log_probabilities_bar)
        h_bar = logits_bar @ self.W2.T                           # logits = h @ W2 + b2
        a_bar = h_bar * (1 - self.h ** 2)                        # h = tanh(a)
        return {"W1": self.X.T @ a_bar, "b1": a_bar.sum(axis=0),
                "W2": self.h.T @ logits_bar, "b2": logits_bar.sum(axis=0)}


class AttentionHead:
    """One attention head over 3 tokens: O = softmax(Q Kᵀ / √2) V, L = mean((O − T)²)."""

    scene = "tensors/attention-head-tensors.scene"
    output = "L"
    X = array([[1.0, 0.0, -0.5, 0.3], [0.2, 0.8, 0.1, -0.6], [-0.4, 0.5, 0.9, 0.2]])
    T = array([[0.5, -0.5], [0.0, 1.0], [1.0, 0.0]])
    inputs = {
        "Wq": array([[0.3, -0.1], [0.2, 0.4], [-0.5, 0.1], [0.1, 0.3]]),
        "Wk": array([[0.1, 0.2], [-0.3, 0.5], [0.4, -0.2], [0.2, 0.1]]),
        "Wv": array([[0.5, -0.4], [0.1, 0.3], [-0.2, 0.6], [0.3, 0.2]]),
    }

    def forward(self, Wq, Wk, Wv):
        self.Q, self.K, self.V = self.X @ Wq, self.X @ Wk, self.X @ Wv
        self.A = softmax(self.Q @ self.K.T / np.sqrt(2))
        self.O = self.A @ self.V
        return ((self.O - self.T) ** 2).mean()

    def backward(self):
        O_bar = 2 * (self.O - self.T) / self.O.size              # L = Σ (O − T)² / 6
        A_bar = O_bar @ self.V.T                                 # O = A @ V
        V_bar = self.A.T @ O_bar
        S_bar = softmax_backward(self.A, A_bar) / np.sqrt(2)     # A = softmax(Q Kᵀ / √2)
        Q_bar = S_bar @ self.K                                   # S = Q @ Kᵀ
        K_bar = S_bar.T @ self.Q
        return {"Wq": self.X.T @ Q_bar, "Wk": self.X.T @ K_bar, "Wv": self.X.T @ V_bar}


class MLP221:
    """Scenes/mlp.scene in tensor form: h = tanh(W @ x + b), y = v @ h + c, L = (y − t)²."""

    scene = "tensors/mlp-tensors.scene"
    output = "L"
    t = 1.0
    inputs = {
        "x": array([0.5, -1.0]),
        "W": array([[0.3, -0.6], [0.8, 0.2]]),
        "b": array([0.1, -0.3]),
        "v": array([1.2, -0.7]),
        "c": array(0.05),
    }

    def forward(self, x, W, b, v, c):
        self.x, self.W, self.v = x, W, v
        self.h = np.tanh(W @ x + b)
        self.e = v @ self.h + c - self.t
        return self.e ** 2

    def backward(self):
        y_bar = 2 * self.e                                       # L = e², e = y − t
        h_bar = y_bar * self.v                                   # y = v · h + c
        a_bar = h_bar * (1 - self.h ** 2)                        # h = tanh(a)
        return {"x": self.W.T @ a_bar, "W": np.outer(a_bar, self.x), "b": a_bar,
                "v": y_bar * self.h, "c": y_bar}


class ReluMLPCrossEntropy:
    """A 2-5-3 ReLU MLP on 4 examples: z = relu(X W1 + b1) W2 + b2, L = mean(logsumexp(z) − z[label])."""

    scene = "tensors/relu-mlp-cross-entropy.scene"
    output = "L"
    X = array([[0.5, -1.0], [1.2, 0.3], [-0.7, 0.8], [0.1, -0.5]])
    labels = [2, 0, 1, 0]
    inputs = {
        "W1": array([[0.4, -0.6, 0.3, 0.8, -0.2], [0.5, 0.1, -0.7, 0.2, 0.6]]),
        "b1": array([0.1, 0.05, -0.1, 0.0, 0.2]),
        "W2": array([[0.3, -0.5, 0.2], [0.6, 0.1, -0.4], [-0.2, 0.7, 0.5], [0.1, -0.3, 0.4], [0.5, 0.2, -0.6]]),
        "b2": array([0.0, -0.1, 0.1]),
    }

    def forward(self, W1, b1, W2, b2):
        self.W2 = W2
        self.a = self.X @ W1 + b1
        self.h = np.maximum(self.a, 0)
        self.z = self.h @ W2 + b2
        rows = np.arange(4)
        lse = np.log(np.exp(self.z - self.z.max(axis=1, keepdims=True)).sum(axis=1)) + self.z.max(axis=1)
        return lse.mean() - self.z[rows, self.labels].mean()

    def backward(self):
        z_bar = softmax(self.z) / 4                              # mean of logsumexp: softmax / 4
        z_bar[np.arange(4), self.labels] -= 1 / 4                # − mean of z[i, label_i]
        h_bar = z_bar @ self.W2.T                                # z = h @ W2 + b2
        a_bar = h_bar * (self.a > 0)                             # h = relu(a), no a at 0 here
        return {"W1": self.X.T @ a_bar, "b1": a_bar.sum(axis=0), "W2": self.h.T @ z_bar, "b2": z_bar.sum(axis=0)}


class CausalAttention:
    """Masked attention over 3 tokens: A = softmax(Q Kᵀ / √2 + M), L = Σ O[2] ⊙ [1, −1] + mean(O²)."""

    scene = "tensors/causal-attention.scene"
    output = "L"
    X = array([[1.0, 0.5], [-0.3, 0.8], [0.6, -1.0]])
    M = array([[0, -1000, -1000], [0, 0, -1000], [0, 0, 0]])
    inputs = {
        "Wq": array([[0.4, -0.2], [0.3, 0.5]]),
        "Wk": array([[0.1, 0.6], [-0.4, 0.2]]),
        "Wv": array([[0.7, -0.1], [0.2, 0.3]]),
    }

    def forward(self, Wq, Wk, Wv):
        self.Q, self.K, self.V = self.X @ Wq, self.X @ Wk, self.X @ Wv
        self.A = softmax(self.Q @ self.K.T / np.sqrt(2) + self.M)
        self.O = self.A @ self.V
        return self.O[2] @ array([1, -1]) + (self.O ** 2).mean()

    def backward(self):
        O_bar = 2 * self.O / self.O.size                         # mean(O²)
        O_bar[2] += array([1, -1])                               # Σ O[2, :] ⊙ [1, −1]
        A_bar = O_bar @ self.V.T                                 # O = A @ V
        V_bar = self.A.T @ O_bar
        S_bar = softmax_backward(self.A, A_bar) / np.sqrt(2)     # A = softmax(S / √2 + M)
        return {"Wq": self.X.T @ (S_bar @ self.K), "Wk": self.X.T @ (S_bar.T @ self.Q), "Wv": self.X.T @ V_bar}


class RNNTwentySteps:
    """h = tanh(Wh h + Wx x_t + b) for x_t = [sin 0.3t, cos 0.2t], t = 1 … 20; L = (v · h − 0.5)²."""

    scene = "tensors/rnn-twenty-steps-tensors.scene"
    output = "L"
    v = array([1.0, -0.5, 0.25])
    inputs = {
        "Wh": array([[0.5, -0.3, 0.1], [0.2, 0.4, -0.2], [-0.1, 0.3, 0.6]]),
        "Wx": array([[0.8, -0.5], [0.3, 0.7], [-0.6, 0.2]]),
        "b": array([0.05, -0.05, 0.1]),
    }

    def forward(self, Wh, Wx, b):
        self.Wh = Wh
        self.xs = [array([np.sin(0.3 * t), np.cos(0.2 * t)]) for t in range(1, 21)]
        self.hs = [np.zeros(3)]
        for x in self.xs:
            self.hs.append(np.tanh(Wh @ self.hs[-1] + Wx @ x + b))
        self.y = self.v @ self.hs[-1]
        self.e = self.y - 0.5
        return self.e ** 2

    def backward(self):
        h_bar = 2 * self.e * self.v                              # L = e², e = v · h − 0.5
        Wh_bar, Wx_bar, b_bar = np.zeros((3, 3)), np.zeros((3, 2)), np.zeros(3)
        for t in range(20, 0, -1):                               # back through time
            a_bar = h_bar * (1 - self.hs[t] ** 2)                # h_t = tanh(a_t)
            Wh_bar += np.outer(a_bar, self.hs[t - 1])            # a_t = Wh h_{t−1} + Wx x_t + b
            Wx_bar += np.outer(a_bar, self.xs[t - 1])
            b_bar += a_bar
            h_bar = self.Wh.T @ a_bar
        return {"Wh": Wh_bar, "Wx": Wx_bar, "b": b_bar}


class LayerNorm:
    """x̂ = (x − μ) / √(σ² + 1e-5), L = Σ g ⊙ x̂ + 0.1 Σ k ⊙ x̂²."""

    scene = "tensors/layer-norm.scene"
    output = "L"
    k = array([1, 2, 3, 4])
    inputs = {"x": array([1.0, -2.0, 0.5, 3.0]), "g": array([1.0, 0.5, -1.0, 2.0])}

    def forward(self, x, g):
        self.g = g
        c = x - x.mean()
        self.sd = np.sqrt((c ** 2).mean() + 1e-5)
        self.xhat = c / self.sd
        return g @ self.xhat + 0.1 * (self.k * self.xhat ** 2).sum()

    def backward(self):
        xhat_bar = self.g + 0.2 * self.k * self.xhat
        # Through the mean and the variance: the standard layer-norm backward.
        x_bar = (xhat_bar - xhat_bar.mean() - self.xhat * (xhat_bar * self.xhat).mean()) / self.sd
        return {"x": x_bar, "g": self.xhat}


EXAMPLES = [PyTorchTutorial, LinearRegression, BatchMLP, AttentionHead, MLP221,
            ReluMLPCrossEntropy, CausalAttention, RNNTwentySteps, LayerNorm]


def value_and_gradient(example):
    """(output value, {input name: gradient array}) by the forward and hand-written backward pass."""
    instance = example()
    value = instance.forward(**{name: np.array(v) for name, v in example.inputs.items()})
    return float(value), instance.backward()


def central_differences(example, step=1e-6):
    """{input name: array of (f(x + h) − f(x − h)) / 2h}, one input element at a time."""
    result = {}
    for name, start in example.inputs.items():
        estimate = np.zeros_like(start, dtype=np.float64)
        for index in np.ndindex(start.shape):
            h = step * max(1.0, abs(float(start[index])))
            values = []
            for sign in (1, -1):
                shifted = {n: np.array(v, dtype=np.float64) for n, v in example.inputs.items()}
                shifted[name][index] += sign * h
                values.append(example().forward(**shifted))
            estimate[index] = (values[0] - values[1]) / (2 * h)
        result[name] = estimate
    return result
