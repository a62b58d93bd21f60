"""PyTorch CPU reference of the CiS training step (n=100, m=50, p=0.01, batch 2048, Adam lr 3e-3).

Each step draws a fresh sparse batch, runs y = W2 relu(W1 x) + Wn x, MSE against relu(x),
backward, Adam. Prints one JSON line: {"steps_per_s": ..., "final_loss": ..., "threads": ...}.
"""
import json, sys, time
import torch as t

def main():
    n, m, p, batch = 100, 50, 0.01, 2048
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    t.manual_seed(0)
    std = (2 / (n + m)) ** 0.5
    W1 = (t.randn(m, n) * std).requires_grad_()
    W2 = (t.randn(n, m) * std).requires_grad_()
    B = t.randn(n, n); B.fill_diagonal_(0)
    Wn = t.eye(n) + 0.03 * B
    opt = t.optim.Adam([W1, W2], lr=3e-3)

    def step():
        mask = t.rand(batch, n) < p
        x = t.where(mask, t.rand(batch, n) * 2 - 1, t.zeros(()))
        h = t.relu(x @ W1.T)
        y = h @ W2.T + x @ Wn.T
        loss = ((y - t.relu(x)) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(min(200, steps)):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    dt = time.perf_counter() - t0
    print(json.dumps({"steps_per_s": steps / dt, "final_loss": float(loss), "threads": t.get_num_threads(), "torch": t.__version__}))

if __name__ == "__main__":
    main()
