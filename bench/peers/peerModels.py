"""The peer benchmarks' models, written once for PyTorch and once for JAX, as each framework's users write them.

A case is a dict: {"model": "linear" | "mlp" | "cis", sizes..., "members": M}. Every model trains by
full-batch (linear: SGD, mlp: Adam) or fresh-minibatch (cis: Adam) steps; "members" > 1 trains M
independent models at once with the framework's vmap (torch.func.vmap, jax.vmap), so one step is M
model-steps. Timing: warm up (compilation, caches), then run steps in chunks until `seconds` have
passed; the result is steps/s of the whole process (one step = all members).
"""
import json, sys, time


def timed(step, seconds, sync=lambda out: out, chunk=10):
    """Calls step() in chunks until `seconds` pass; returns (steps/s, last value of step()).
    `sync` waits for a chunk's work to finish (JAX dispatches asynchronously)."""
    for _ in range(3):
        out = sync(step())
    n, t0 = 0, time.perf_counter()
    while True:
        for _ in range(chunk):
            out = step()
        sync(out)
        n += chunk
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return n / dt, out
        chunk = max(chunk, int(n / dt * 0.2))


# ---------------------------------------------------------------- PyTorch

def torch_case(c, seconds):
    import torch as t
    from torch.func import functional_call, grad, vmap  # noqa: F401
    t.manual_seed(0)
    M = c.get("members", 1)

    def linear_loss(p, X, Y):
        return ((X @ p["W1"] @ p["W2"] - Y) ** 2).mean()

    def mlp_loss(p, X, Y):
        return ((t.relu(X @ p["W1"]) @ p["W2"] - Y) ** 2).mean()

    def cis_loss(p, Wn, x):
        y = t.relu(x @ p["W1"].T) @ p["W2"].T + x @ Wn.T
        return ((y - t.relu(x)) ** 2).mean()

    if c["model"] in ("linear", "mlp"):
        d, h, P = c["d"], c["h"], c["P"]
        out = c.get("c", d)
        X = t.randn(P, d)
        Y = X @ (t.randn(d, out) / d ** 0.5) if c["model"] == "linear" else t.randn(P, out)
        shape = lambda *s: (M, *s) if M > 1 else s
        params = {"W1": (t.randn(*shape(d, h)) / d ** 0.5).requires_grad_(), "W2": (t.randn(*shape(h, out)) / h ** 0.5).requires_grad_()}
        loss_fn = linear_loss if c["model"] == "linear" else mlp_loss
        opt = t.optim.SGD(params.values(), lr=c["lr"]) if c["model"] == "linear" else t.optim.Adam(params.values(), lr=c["lr"])
        batch = lambda: (X, Y)
        in_dims = (0, None, None)
    else:
        n, m, p, B = c["n"], c["m"], c["p"], c["batch"]
        shape = lambda *s: (M, *s) if M > 1 else s
        std = (2 / (n + m)) ** 0.5
        params = {"W1": (t.randn(*shape(m, n)) * std).requires_grad_(), "W2": (t.randn(*shape(n, m)) * std).requires_grad_()}
        Wn = t.eye(n) + 0.03 * t.randn(n, n)
        opt = t.optim.Adam(params.values(), lr=c["lr"])

        def batch():
            mask = t.rand(*shape(B, n)) < p
            return Wn, t.where(mask, t.rand(*shape(B, n)) * 2 - 1, t.zeros(()))
        loss_fn, in_dims = cis_loss, (0, None, 0)

    if M == 1:
        def step():
            loss = loss_fn(params, *batch())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            return loss
    else:
        # per-member gradients by vmap over grad; SGD and Adam are elementwise, so one optimiser over
        # the stacked [M, ...] parameters is M independent optimisers
        g = vmap(grad(loss_fn), in_dims=in_dims)
        def step():
            with t.no_grad():
                grads = g({k: v.detach() for k, v in params.items()}, *batch())
            for k, v in params.items():
                v.grad = grads[k]
            opt.step()
            return t.zeros(())
    rate, loss = timed(step, seconds)
    return {"steps_per_s": rate, "model_steps_per_s": rate * M, "loss": float(loss.detach()), "threads": t.get_num_threads(), "version": t.__version__}


# ---------------------------------------------------------------- JAX

def jax_case(c, seconds):
    import jax, jax.numpy as jnp, optax
    M = c.get("members", 1)
    key = jax.random.PRNGKey(0)
    k1, k2, k3, k4 = jax.random.split(key, 4)
    stack = lambda k, *s: jax.random.normal(k, (M, *s) if M > 1 else s)

    if c["model"] in ("linear", "mlp"):
        d, h, P = c["d"], c["h"], c["P"]
        out = c.get("c", d)
        X = jax.random.normal(k1, (P, d))
        Y = X @ (jax.random.normal(k2, (d, out)) / d ** 0.5) if c["model"] == "linear" else jax.random.normal(k2, (P, out))
        params = {"W1": stack(k3, d, h) / d ** 0.5, "W2": stack(k4, h, out) / h ** 0.5}
        act = (lambda z: z) if c["model"] == "linear" else jax.nn.relu

        def loss_fn(p, key):
            return jnp.mean((act(X @ p["W1"]) @ p["W2"] - Y) ** 2)
        opt = optax.sgd(c["lr"]) if c["model"] == "linear" else optax.adam(c["lr"])
    else:
        n, m, p, B = c["n"], c["m"], c["p"], c["batch"]
        std = (2 / (n + m)) ** 0.5
        params = {"W1": stack(k3, m, n) * std, "W2": stack(k4, n, m) * std}
        Wn = jnp.eye(n) + 0.03 * jax.random.normal(k1, (n, n))

        def loss_fn(p, key):
            ka, kb = jax.random.split(key)
            x = jnp.where(jax.random.uniform(ka, (B, n)) < p_, jax.random.uniform(kb, (B, n)) * 2 - 1, 0.0)
            y = jax.nn.relu(x @ p["W1"].T) @ p["W2"].T + x @ Wn.T
            return jnp.mean((y - jax.nn.relu(x)) ** 2)
        p_ = p
        opt = optax.adam(c["lr"])

    grad_fn = jax.value_and_grad(loss_fn)
    if M > 1:
        grad_fn = jax.vmap(grad_fn)

    @jax.jit
    def train_step(params, state, key):
        key, sub = jax.random.split(key)
        keys = jax.random.split(sub, M) if M > 1 else sub
        loss, grads = grad_fn(params, keys)
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), state, key, loss

    carry = [params, opt.init(params), k2, None]

    def step():
        carry[0], carry[1], carry[2], carry[3] = train_step(carry[0], carry[1], carry[2])
        return carry[3]

    rate, loss = timed(step, seconds, sync=jax.block_until_ready)
    return {"steps_per_s": rate, "model_steps_per_s": rate * M, "loss": float(jnp.mean(loss)), "threads": None, "version": jax.__version__}


if __name__ == "__main__":
    framework, cases, seconds = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])
    if framework == "torch1":  # PyTorch on one thread: a reference that a busy second core does not disturb
        import torch
        torch.set_num_threads(1)
    run = jax_case if framework == "jax" else torch_case
    for c in cases:
        print(json.dumps({"id": c["id"], **run(c, seconds)}), flush=True)
