#!/usr/bin/env python3
"""Offline reference figures for served quality on a rating split: how far models go on it.

Reads a per-user split as served-check writes it (train.tsv / test.tsv: user, item, rating, ts) and
prints NDCG@10 (relevant = test rating >= 4, the user's training items never ranked, binary gains,
ideal over min(|relevant|, 10), averaged over users with a relevant test item) for:

  popularity   interaction counts over the training part
  ease         EASE (Steck 2019), the closed-form item-item model, for a few L2 strengths
  rp3beta      random-walk item-item (Paudel et al. 2017), popularity penalty beta
  als          implicit ALS (Hu, Koren, Volinsky 2008), 15 sweeps, our job's rank 10 / lambda 0.1 / alpha 1
  online-als   a simulation of the job's online ALS: events in time order, exact user fold-in over the
               user's window against the current item table, one normalised LMS step per interaction
               on the item side, then the backfill's end of history: N sweeps (an item-side epoch each)
               and a final fold-in of every user

Needs numpy. Dense matrices: fine for ml-latest-small (610 x 9,724), not for large sets.

    python3 benchmarks/scripts/model_ceiling.py TRAIN.tsv TEST.tsv [--sweeps 5]
"""
import argparse
import collections
import math

import numpy as np


def load(train_path, test_path):
    tr = [l.rstrip('\n').split('\t') for l in open(train_path)]
    te = [l.rstrip('\n').split('\t') for l in open(test_path)]
    users = sorted({r[0] for r in tr + te})
    items = sorted({r[1] for r in tr + te})
    ui = {u: i for i, u in enumerate(users)}
    ii = {m: i for i, m in enumerate(items)}
    x = np.zeros((len(users), len(items)))
    for r in tr:
        x[ui[r[0]], ii[r[1]]] = 1
    relevant = collections.defaultdict(set)
    for r in te:
        if float(r[2]) >= 4:
            relevant[ui[r[0]]].add(ii[r[1]])
    events = sorted((int(r[3]), ui[r[0]], ii[r[1]], 2 * max(0.0, float(r[2]) - 2.5)) for r in tr)
    return x, relevant, [e for e in events if e[3] > 0]


def ndcg(scores, x, relevant, k=10):
    s = scores.copy()
    s[x > 0] = -np.inf
    top = np.argpartition(-s, k, axis=1)[:, :k]
    total = 0.0
    for u, rel in relevant.items():
        ranked = top[u][np.argsort(-s[u, top[u]])]
        dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(ranked) if item in rel)
        total += dcg / sum(1 / math.log2(i + 2) for i in range(min(len(rel), k)))
    return total / len(relevant)


def ease(x, lam):
    p = np.linalg.inv(x.T @ x + lam * np.eye(x.shape[1]))
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0)
    return x @ b


def rp3beta(x, beta):
    deg_u = np.maximum(x.sum(1), 1)
    deg_i = x.sum(0) + 1e-9
    p_ui = x / deg_u[:, None]
    w = (x.T / deg_i[:, None]) @ p_ui / deg_i[None, :] ** beta
    np.fill_diagonal(w, 0)
    return p_ui @ w


def als(x, f=10, reg=0.1, alpha=1.0, sweeps=15):
    rng = np.random.default_rng(0)
    uf = rng.normal(0, 0.01, (x.shape[0], f))
    v = rng.normal(0, 0.01, (x.shape[1], f))
    for _ in range(sweeps):
        for a, b, m in ((uf, v, x), (v, uf, x.T)):
            btb = b.T @ b
            for r in range(m.shape[0]):
                nz = np.nonzero(m[r])[0]
                if len(nz):
                    bn = b[nz]
                    c = 1 + alpha * m[r, nz]
                    a[r] = np.linalg.solve(btb + (bn.T * (c - 1)) @ bn + reg * np.eye(f), (bn.T * c).sum(1))
    return uf @ v.T


def online_als(x, events, sweeps, relevant, k=10, lam=0.1, eta=0.5, alpha=1.0):
    """NDCG@10 after the stream and after each sweep."""
    n_users, n_items = x.shape
    rng = np.random.default_rng(1)
    y = rng.normal(0, 1, (n_items, k))
    y *= 0.1 / np.linalg.norm(y, axis=1, keepdims=True)
    known = np.zeros(n_items, bool)
    gram = np.zeros((k, k))
    window = collections.defaultdict(dict)
    xu = np.zeros((n_users, k))

    def fold(u):
        its = np.fromiter(window[u].keys(), int)
        ev = np.fromiter(window[u].values(), float)
        g = gram.copy()
        for j in its:
            if not known[j]:
                g += np.outer(y[j], y[j])
        b = y[its]
        c = 1 + alpha * ev
        return np.linalg.solve(g + (b.T * (c - 1)) @ b + lam * len(its) * np.eye(k), (b.T * c).sum(1))

    def item_step(j, xv, v):
        nonlocal gram
        if not known[j]:
            known[j] = True
            gram += np.outer(y[j], y[j])
        cur = xv @ y[j]
        if cur >= 1:
            return
        target = cur + (v / (1 + v)) * (1 - max(0.0, cur))
        new = y[j] + eta * xv * (target - cur) / (xv @ xv + eta * lam)
        gram += np.outer(new, new) - np.outer(y[j], y[j])
        y[j] = new

    for _, u, j, v in events:
        window[u][j] = window[u].get(j, 0) + v
        xu[u] = fold(u)
        item_step(j, xu[u], alpha * window[u][j])
    figures = []
    for sweep in range(sweeps + 1):
        if sweep > 0:
            for _, u, j, _ in events:
                item_step(j, xu[u], alpha * window[u][j])
        for u in window:
            xu[u] = fold(u)
        figures.append(ndcg(xu @ y.T, x, relevant))
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('train')
    ap.add_argument('test')
    ap.add_argument('--sweeps', type=int, default=5)
    a = ap.parse_args()
    x, relevant, events = load(a.train, a.test)
    print(f'popularity          {ndcg(np.tile(x.sum(0), (x.shape[0], 1)), x, relevant):.4f}')
    for lam in (50, 200, 500):
        print(f'ease lambda={lam:<6}   {ndcg(ease(x, lam), x, relevant):.4f}')
    for beta in (0.3, 0.5):
        print(f'rp3beta beta={beta}     {ndcg(rp3beta(x, beta), x, relevant):.4f}')
    print(f'als (batch)         {ndcg(als(x), x, relevant):.4f}')
    for sweep, figure in enumerate(online_als(x, events, a.sweeps, relevant)):
        print(f'online-als sweeps={sweep}  {figure:.4f}')


if __name__ == '__main__':
    main()
