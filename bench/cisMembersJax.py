"""CiS training with JAX jit + vmap over members: the peer of `eigenflow run graphs/cis-noise.json --members seed=0:M-1`.

Each member is y = W2·relu(W1 x) + Wn x (no biases) trained with Adam to output relu(x) on fresh sparse
batches (each feature active with probability p, active values uniform in [-1, 1]), Wn = I, the loss
mean((y − relu(x))²) — the same problem eigenflow's trainer solves. One jitted step updates all members
(jax.vmap over the member axis). Prints one JSON line: model_steps_per_s, members, steps, loss.

    python3 bench/cisMembersJax.py [members=32] [steps=2000] [n=20] [m=10] [p=0.1] [batch=1024]
"""
import json
import sys
import time

import jax
import jax.numpy as jnp

members, steps, n, m, p, batch = (int(sys.argv[1]) if len(sys.argv) > 1 else 32, int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
                                  int(sys.argv[3]) if len(sys.argv) > 3 else 20, int(sys.argv[4]) if len(sys.argv) > 4 else 10,
                                  float(sys.argv[5]) if len(sys.argv) > 5 else 0.1, int(sys.argv[6]) if len(sys.argv) > 6 else 1024)
lr, b1, b2, eps = 3e-3, 0.9, 0.999, 1e-8


def init(key):
    k1, k2 = jax.random.split(key)
    std = (2 / (n + m)) ** 0.5
    return {'W1': std * jax.random.normal(k1, (m, n)), 'W2': std * jax.random.normal(k2, (n, m))}


def loss_fn(w, x):
    y = jax.nn.relu(x @ w['W1'].T) @ w['W2'].T + x  # Wn = I
    return jnp.mean((y - jax.nn.relu(x)) ** 2)


def step(w, mom, vel, t, key):
    k1, k2 = jax.random.split(key)
    x = jnp.where(jax.random.uniform(k1, (batch, n)) < p, jax.random.uniform(k2, (batch, n), minval=-1.0, maxval=1.0), 0.0)
    loss, g = jax.value_and_grad(loss_fn)(w, x)
    mom = jax.tree_util.tree_map(lambda a, b: b1 * a + (1 - b1) * b, mom, g)
    vel = jax.tree_util.tree_map(lambda a, b: b2 * a + (1 - b2) * b * b, vel, g)
    w = jax.tree_util.tree_map(lambda a, mm, vv: a - lr * (mm / (1 - b1 ** t)) / (jnp.sqrt(vv / (1 - b2 ** t)) + eps), w, mom, vel)
    return w, mom, vel, loss


@jax.jit
def batched(w, mom, vel, t, keys):
    step_keys = jax.vmap(lambda k: jax.random.fold_in(k, t))(keys)
    return jax.vmap(step, in_axes=(0, 0, 0, None, 0))(w, mom, vel, t.astype(jnp.float32), step_keys)



keys = jax.random.split(jax.random.PRNGKey(0), members)
w = jax.vmap(init)(keys)
mom = jax.tree_util.tree_map(jnp.zeros_like, w)
vel = jax.tree_util.tree_map(jnp.zeros_like, w)
w, mom, vel, loss = batched(w, mom, vel, jnp.int32(1), keys)  # compile
loss.block_until_ready()
t0 = time.perf_counter()
for t in range(2, steps + 2):
    w, mom, vel, loss = batched(w, mom, vel, jnp.int32(t), keys)
loss.block_until_ready()
dt = time.perf_counter() - t0
print(json.dumps({'peer': f'jax {jax.__version__} jit+vmap', 'members': members, 'steps': steps, 'model_steps_per_s': members * steps / dt, 'loss': float(jnp.mean(loss))}))
