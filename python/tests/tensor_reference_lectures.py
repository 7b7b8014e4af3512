"""More lecture examples of the tensor scenes, in NumPy with the backward written by hand, in the
form of tensor_reference.py (which holds the first ones): label smoothing, a residual block with
layer norm, a VAE's loss and a convolution written as a matrix product of patches (im2col)."""

import numpy as np

from tensor_reference import array, log_softmax, softmax


def randn_stream(seed, count):
    """gradflow's documented randn: SplitMix64 seeded with the seed, two words per number,
    u = (top 53 bits + 0.5) / 2^53, Box–Muller sqrt(−2 ln u1) · cos(2π u2)."""
    mask, state, numbers = (1 << 64) - 1, seed & ((1 << 64) - 1), []

    def next_word():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    for _ in range(count):
        u1 = ((next_word() >> 11) + 0.5) / 2.0 ** 53
        u2 = ((next_word() >> 11) + 0.5) / 2.0 ** 53
        numbers.append(np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2))
    return array(numbers)


class LabelSmoothing:
    """logits = X W + b, Q = 0.9 Y + 0.1 / 4, L = −mean_rows Σ Q ⊙ log_softmax(logits)."""

    scene = "tensors/label-smoothing.scene"
    output = "L"
    X = array([[1.0, 2.0], [-1.5, 0.5], [0.3, -0.8]])
    Q = 0.9 * array([[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]]) + 0.1 / 4
    inputs = {"W": array([[0.2, -0.4, 0.1, 0.5], [-0.3, 0.6, 0.2, -0.1]]), "b": array([0.05, 0, -0.05, 0.1])}

    def forward(self, W, b):
        self.logits = self.X @ W + b
        return -(self.Q * log_softmax(self.logits)).sum(axis=1).mean()

    def backward(self):
        # Each row of Q sums to 1, so the log-softmax backward is softmax − Q, over 3 rows.
        logits_bar = (softmax(self.logits) - self.Q) / 3
        self.named_adjoints = {"logits": logits_bar}
        return {"W": self.X.T @ logits_bar, "b": logits_bar.sum(axis=0)}


class ResidualLayerNorm:
    """R = X + relu(X W1 + b1) W2, each row of R layer-normalised to Y, L = mean((Y − T)²)."""

    scene = "tensors/residual-layer-norm.scene"
    output = "L"
    X = array([[0.5, -1.0, 2.0], [1.5, 0.2, -0.7]])
    T = array([[1, 0, -1], [-1, 1, 0]])
    inputs = {
        "W1": array([[0.3, -0.2, 0.5, 0.1], [0.4, 0.6, -0.3, 0.2], [-0.5, 0.1, 0.2, 0.7]]),
        "b1": array([0.1, 0.2, 0.3, 0.4]),
        "W2": array([[0.2, -0.3, 0.1], [0.5, 0.4, -0.2], [-0.1, 0.3, 0.6], [0.3, -0.4, 0.2]]),
    }

    def forward(self, W1, b1, W2):
        self.W2 = W2
        self.A = self.X @ W1 + b1
        self.H = np.maximum(self.A, 0)
        R = self.X + self.H @ W2
        C = R - R.mean(axis=1, keepdims=True)
        self.sd = np.sqrt((C ** 2).mean(axis=1, keepdims=True) + 1e-5)
        self.Y = C / self.sd
        return ((self.Y - self.T) ** 2).mean()

    def backward(self):
        Y_bar = 2 * (self.Y - self.T) / self.Y.size
        # Layer norm row by row: R̄ = (Ȳ − mean(Ȳ) − Y · mean(Ȳ ⊙ Y)) / sd.
        R_bar = (Y_bar - Y_bar.mean(axis=1, keepdims=True)
                 - self.Y * (Y_bar * self.Y).mean(axis=1, keepdims=True)) / self.sd
        A_bar = (R_bar @ self.W2.T) * (self.A > 0)              # no entry of A is at 0 here
        self.named_adjoints = {"Y": Y_bar, "R": R_bar, "H": R_bar @ self.W2.T}
        return {"W1": self.X.T @ A_bar, "b1": A_bar.sum(axis=0), "W2": self.H.T @ R_bar}


class VAELoss:
    """z = μ + exp(logvar / 2) ⊙ ε, p = σ(z Wd + bd), loss = BCE(p, x) + KL(N(μ, σ²) ‖ N(0, 1))."""

    scene = "tensors/vae-tensors.scene"
    output = "loss"
    x = array([1, 0, 1, 1])
    eps = randn_stream(11, 3)
    inputs = {
        "μ": array([0.3, -0.6, 0.1]), "logvar": array([-0.5, 0.2, 0]),
        "Wd": array([[0.5, -0.2, 0.3, 0.1], [-0.4, 0.6, 0.2, -0.3], [0.1, 0.3, -0.5, 0.4]]),
        "bd": array([0, 0.1, -0.1, 0.2]),
    }

    def forward(self, μ, logvar, Wd, bd):
        self.μ, self.logvar, self.Wd = μ, logvar, Wd
        self.s = np.exp(0.5 * logvar)
        self.z = μ + self.s * self.eps
        self.p = 1 / (1 + np.exp(-(self.z @ Wd + bd)))
        recon = -(self.x * np.log(self.p) + (1 - self.x) * np.log(1 - self.p)).sum()
        return recon - 0.5 * (1 + logvar - μ ** 2 - np.exp(logvar)).sum()

    def backward(self):
        a_bar = self.p - self.x                                 # BCE after a sigmoid
        z_bar = self.Wd @ a_bar                                 # a = z Wd + bd
        μ_bar = z_bar + self.μ                                  # KL: ∂/∂μ = μ
        logvar_bar = z_bar * self.eps * self.s * 0.5 - 0.5 * (1 - np.exp(self.logvar))
        self.named_adjoints = {"z": z_bar, "p": a_bar / (self.p * (1 - self.p))}
        return {"μ": μ_bar, "logvar": logvar_bar, "Wd": np.outer(self.z, a_bar), "bd": a_bar}


class ConvolutionAsPatches:
    """P[i] = x[i : i + 3] (im2col), Y = tanh(P K + b), L = Σ Y[:, 0] − mean(Y[:, 1]²)."""

    scene = "tensors/conv1d-im2col.scene"
    output = "L"
    inputs = {"x": array([1, -2, 0.5, 1.5, -1, 2]), "K": array([[0.5, -0.3], [-1, 0.2], [0.25, 0.7]]),
              "b": array([0.1, -0.1])}

    def forward(self, x, K, b):
        self.K = K
        self.P = np.stack([x[i:i + 3] for i in range(4)])
        self.Y = np.tanh(self.P @ K + b)
        return self.Y[:, 0].sum() - (self.Y[:, 1] ** 2).mean()

    def backward(self):
        Y_bar = np.stack([np.ones(4), -2 * self.Y[:, 1] / 4], axis=1)
        A_bar = Y_bar * (1 - self.Y ** 2)
        P_bar = A_bar @ self.K.T
        self.named_adjoints = {"Y": Y_bar, "P": P_bar}
        x_bar = np.zeros(6)
        for i in range(4):                                      # each window adds back into x
            x_bar[i:i + 3] += P_bar[i]
        return {"x": x_bar, "K": self.P.T @ A_bar, "b": A_bar.sum(axis=0)}


# Node name → the attribute holding its value after forward(), for the trace and export checks.
VALUES = {
    LabelSmoothing: {"logits": "logits"},
    ResidualLayerNorm: {"H": "H", "Y": "Y"},
    VAELoss: {"z": "z", "p": "p"},
    ConvolutionAsPatches: {"P": "P", "Y": "Y"},
}


def adjoints(example):
    """The adjoints of named intermediates, from the hand-written backward pass."""
    instance = example()
    instance.forward(**example.inputs)
    instance.backward()
    return instance.named_adjoints


EXAMPLES = [LabelSmoothing, ResidualLayerNorm, VAELoss, ConvolutionAsPatches]
