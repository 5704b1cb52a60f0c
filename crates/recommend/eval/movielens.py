#!/usr/bin/env python3
"""Quality benchmark of Tutti's course recommender on MovieLens-100k.

Reads `dataset_example/ml-100k/ml-100k.inter` straight out of the `recbole`
wheel (nothing is extracted or committed), turns ratings >= 4 into implicit
clicks, holds out 20 % of each user's clicks with a fixed seed, and reports
precision@10, NDCG@10 and MAP@10 of

  * Tutti's recommender (through the `tutti-recommend-eval` binary),
  * the `implicit` library's CosineRecommender, BM25Recommender and ALS,

all scored by the same metric code below. Hyper-parameters of every method
are chosen on a validation split carved out of the training part (20 % of
each user's training clicks, another fixed seed); the test part is touched
once, by the chosen configurations. See README.md for the definitions.
"""

from __future__ import annotations

import argparse
import warnings
import io
import itertools
import math
import os
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np
import scipy.sparse as sp

K = 10
MIN_CLICKS = 5  # users with fewer positive ratings are left out
HOLDOUT = 0.2
TEST_SEED = 20240601
VALIDATION_SEED = 20240602
INTER = "recbole/dataset_example/ml-100k/ml-100k.inter"


# ----------------------------------------------------------------- data ----

def load_clicks(wheel: str) -> list[tuple[int, int]]:
    """(user, item) pairs with rating >= 4, read from inside the wheel."""
    with zipfile.ZipFile(wheel) as z:
        text = z.read(INTER).decode("utf-8")
    clicks = []
    for line in io.StringIO(text).readlines()[1:]:
        user, item, rating, _ts = line.rstrip("\n").split("\t")
        if float(rating) >= 4:
            clicks.append((int(user), int(item)))
    return clicks


def holdout(per_user: dict[int, list[int]], seed: int) -> tuple[dict, dict]:
    """Per user: a random HOLDOUT share (at least one item) goes to the
    second dict, the rest to the first. Users are visited in sorted order and
    their items sorted first, so the split depends only on the seed."""
    rng = np.random.default_rng(seed)
    train, held = {}, {}
    for user in sorted(per_user):
        items = np.array(sorted(per_user[user]))
        rng.shuffle(items)
        n_held = max(1, int(round(HOLDOUT * len(items))))
        held[user] = set(items[:n_held].tolist())
        train[user] = sorted(items[n_held:].tolist())
    return train, held


# -------------------------------------------------------------- metrics ----

def metrics(recs: dict[int, list[int]], truth: dict[int, set[int]]) -> dict[str, float]:
    """Mean precision@K, NDCG@K and MAP@K over every user in `truth`
    (a user with no list scores 0)."""
    p_sum = ndcg_sum = ap_sum = 0.0
    for user, relevant in truth.items():
        ranked = recs.get(user, [])[:K]
        hits = 0
        dcg = 0.0
        ap = 0.0
        for pos, item in enumerate(ranked, start=1):
            if item in relevant:
                hits += 1
                dcg += 1.0 / math.log2(pos + 1)
                ap += hits / pos
        ideal = min(len(relevant), K)
        idcg = sum(1.0 / math.log2(pos + 1) for pos in range(1, ideal + 1))
        p_sum += hits / K
        ndcg_sum += dcg / idcg
        ap_sum += ap / ideal
    n = len(truth)
    return {"precision@10": p_sum / n, "ndcg@10": ndcg_sum / n, "map@10": ap_sum / n}


# ------------------------------------------------------------- methods ----

def to_matrix(train: dict[int, list[int]], item_index: dict[int, int]):
    users = sorted(train)
    rows, cols = [], []
    for r, user in enumerate(users):
        for item in train[user]:
            rows.append(r)
            cols.append(item_index[item])
    m = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(users), len(item_index)),
    )
    return users, m


def run_implicit(model, train, item_index, item_ids):
    users, m = to_matrix(train, item_index)
    model.fit(m, show_progress=False)
    ids, _scores = model.recommend(np.arange(len(users)), m, N=K, filter_already_liked_items=True)
    recs = {}
    for r, user in enumerate(users):
        recs[user] = [int(item_ids[i]) for i in ids[r] if i >= 0]
    return recs


def implicit_factory(name: str, cfg: dict):
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.nearest_neighbours import BM25Recommender, CosineRecommender

    if name == "cosine":
        return CosineRecommender(K=cfg["K"], num_threads=1)
    if name == "bm25":
        return BM25Recommender(K=cfg["K"], K1=cfg["K1"], B=cfg["B"], num_threads=1)
    return AlternatingLeastSquares(
        factors=cfg["factors"],
        regularization=cfg["regularization"],
        alpha=cfg["alpha"],
        iterations=cfg["iterations"],
        random_state=42,
        num_threads=1,
    )


def run_tutti(binary: str, train, cfg: dict, workdir: str):
    path = os.path.join(workdir, "train.tsv")
    with open(path, "w") as f:
        for user in sorted(train):
            for item in train[user]:
                f.write(f"{user}\t{item}\n")
    cmd = [binary, "--train", path, "--k", str(K)]
    for key, value in cfg.items():
        cmd += [f"--{key}", str(value)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    recs = {}
    for line in out.splitlines():
        user, _, items = line.partition("\t")
        recs[int(user)] = [int(x) for x in items.split()]
    return recs


def grid(space: dict) -> list[dict]:
    keys = list(space)
    return [dict(zip(keys, values)) for values in itertools.product(*(space[k] for k in keys))]


IMPLICIT_DEFAULTS = {
    "cosine": {"K": 20},
    "bm25": {"K": 20, "K1": 1.2, "B": 0.75},
    "als": {"factors": 100, "regularization": 0.01, "alpha": 1.0, "iterations": 15},
}

IMPLICIT_GRIDS = {
    "cosine": grid({"K": [10, 20, 50, 100, 200, 400, 800, 1500]}),
    "bm25": grid({
        "K": [10, 20, 50, 100, 200, 400, 800, 1500],
        "K1": [0.5, 1.2, 3.0, 10.0],
        "B": [0.0, 0.25, 0.5, 0.75, 1.0],
    }),
    "als": grid({
        "factors": [8, 16, 32, 64, 128],
        "regularization": [0.01, 0.1, 1.0],
        "alpha": [1.0, 5.0, 20.0],
        "iterations": [15],
    }),
}

TUTTI_GRID = grid({
    "weighting": ["cosine"],
    "neighbours": [100, 200, 400, 800],
    "shrink": [0, 10, 50],
    "alpha": [0.5, 0.65, 0.8],
    "locality": [1, 2],
    "normalize-rows": ["false", "true"],
}) + grid({
    "weighting": ["bm25"],
    "neighbours": [100, 200, 400, 800],
    "k1": [0.5, 1.2, 3.0, 10.0],
    "b": [0.0, 0.25, 0.5, 0.75, 1.0],
    "locality": [1, 1.5, 2, 3],
    "normalize-rows": ["false", "true"],
})


# ---------------------------------------------------------------- main ----

def fmt(m: dict[str, float]) -> str:
    return " | ".join(f"{m[k]:.4f}" for k in ("precision@10", "ndcg@10", "map@10"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", required=True, help="the downloaded recbole wheel")
    ap.add_argument("--tutti", required=True, help="path to the tutti-recommend-eval binary")
    ap.add_argument("--quick", action="store_true", help="skip tuning; defaults only")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", module="implicit")

    clicks = load_clicks(args.wheel)
    per_user: dict[int, list[int]] = {}
    for user, item in clicks:
        per_user.setdefault(user, []).append(item)
    per_user = {u: items for u, items in per_user.items() if len(items) >= MIN_CLICKS}
    item_ids = sorted({i for items in per_user.values() for i in items})
    item_index = {item: n for n, item in enumerate(item_ids)}
    train, test = holdout(per_user, TEST_SEED)
    inner, valid = holdout(train, VALIDATION_SEED)
    n_cells = sum(len(v) for v in per_user.values())
    print(f"MovieLens-100k, rating >= 4: {len(per_user)} users (>= {MIN_CLICKS} clicks), "
          f"{len(item_ids)} items, {n_cells} clicks; test {sum(len(v) for v in test.values())}, "
          f"validation {sum(len(v) for v in valid.values())}")

    rows = []  # (name, config, test metrics, seconds)
    with tempfile.TemporaryDirectory() as workdir:
        def tutti(train_part, cfg):
            return run_tutti(args.tutti, train_part, cfg, workdir)

        # Tutti with its built-in defaults (TrainParams::default()).
        t0 = time.time()
        rows.append(("tutti (crate defaults)", {}, metrics(tutti(train, {}), test), time.time() - t0))
        for name, cfg in IMPLICIT_DEFAULTS.items():
            t0 = time.time()
            recs = run_implicit(implicit_factory(name, cfg), train, item_index, item_ids)
            rows.append((f"implicit {name} (library defaults)", cfg, metrics(recs, test), time.time() - t0))

        if not args.quick:
            def tune(label, configs, run):
                best = None
                for cfg in configs:
                    m = metrics(run(inner, cfg), valid)
                    if best is None or m["ndcg@10"] > best[1]["ndcg@10"]:
                        best = (cfg, m)
                print(f"  tuned {label}: {best[0]}  (validation {fmt(best[1])})", flush=True)
                return best[0]

            print("Tuning on the validation split (selection by NDCG@10):")
            for name in ("cosine", "bm25", "als"):
                cfg = tune(f"implicit {name}", IMPLICIT_GRIDS[name],
                           lambda part, c, n=name: run_implicit(implicit_factory(n, c), part, item_index, item_ids))
                t0 = time.time()
                recs = run_implicit(implicit_factory(name, cfg), train, item_index, item_ids)
                rows.append((f"implicit {name} (tuned)", cfg, metrics(recs, test), time.time() - t0))
            cfg = tune("tutti", TUTTI_GRID, tutti)
            t0 = time.time()
            rows.append(("tutti (tuned)", cfg, metrics(tutti(train, cfg), test), time.time() - t0))

    print()
    print("| method | precision@10 | NDCG@10 | MAP@10 | config |")
    print("|---|---|---|---|---|")
    for name, cfg, m, _secs in rows:
        print(f"| {name} | {fmt(m)} | {cfg or 'defaults'} |")

    knn = [m for name, _c, m, _s in rows if name.startswith(("implicit cosine", "implicit bm25"))]
    ours = next(m for name, _c, m, _s in rows if name == "tutti (crate defaults)")
    goal = all(ours[k] >= max(m[k] for m in knn) for k in ours)
    print()
    print(f"tutti (crate defaults) >= best implicit item-kNN on every metric: {'yes' if goal else 'NO'}")
    return 0 if goal else 1


if __name__ == "__main__":
    sys.exit(main())
