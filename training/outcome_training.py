"""Train, measure and export the repair-outcome and barrier models.

Measurement never uses random rows: (a) leave one partner network out (train on the others,
measure on the one left out) and (b) by date (train on events before 2021, measure on events from
2021 on). Every network gets the same total sample weight in training, so the model learns what
the networks have in common rather than the habits (and class balance) of the biggest one; that
weighting would also pull the class frequencies the model reports toward the small networks'
proportions, so the prior is corrected back afterwards (`match_priors`): per product category,
the model's mean prediction over its training records equals that category's pooled frequency.
Outcome words in the problem text are masked (see `chalicelib.ml.text_features`); the effect of
that masking is measured too.
"""

import itertools
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, log_loss

from chalicelib.ml.outcome_model import OutcomeModel
from chalicelib.ml.text_features import FeatureLayout
from training.ords import STATUSES, Record

log = logging.getLogger(__name__)

SEED = 20250701
C_STATUS = 0.1
C_BARRIER = 0.5
BARRIER_MIN_PROBABILITY = 0.35
DATE_CUTOFF = "2021-01-01"
# Pseudo-count pulling a category's pooled status frequencies toward the overall ones.
CATEGORY_PRIOR_SMOOTHING = 10.0
Array = NDArray[np.float64]


def feature_matrix(
    records: Sequence[Record], layout: FeatureLayout, *, mask_outcome: bool = True
) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[NDArray[np.intp]] = []
    values: list[Array] = []
    for record in records:
        columns, data = layout.row(
            record.problem,
            record.category,
            record.brand,
            record.age_years,
            mask_outcome=mask_outcome,
        )
        indices.append(columns)
        values.append(data)
        indptr.append(indptr[-1] + len(columns))
    return sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.array(indptr)),
        shape=(len(records), layout.width),
    )


MAX_ROW_WEIGHT = 25.0
"""A small file (e.g. a deployment's first exported labels) must not outweigh a network's rows."""


def network_weights(networks: Sequence[str]) -> Array:
    """Weights giving every network the same total (up to MAX_ROW_WEIGHT a row), averaging 1."""
    counts = Counter(networks)
    per_network = len(networks) / len(counts)
    raw = np.array([min(per_network / counts[n], MAX_ROW_WEIGHT) for n in networks])
    result: Array = raw * len(raw) / raw.sum()
    return result


def fit_logistic(
    matrix: sparse.csr_matrix, targets: Sequence[str], weights: Array, c: float
) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=200, tol=1e-4, random_state=SEED)
    model.fit(matrix, list(targets), sample_weight=weights)
    # The shipped weights are float32; round here so scikit-learn and numpy use the same numbers.
    model.coef_ = model.coef_.astype(np.float32).astype(np.float64)
    model.intercept_ = model.intercept_.astype(np.float32).astype(np.float64)
    return model


def ordered_proba(
    model: LogisticRegression, matrix: sparse.csr_matrix, order: Sequence[str]
) -> Array:
    proba = model.predict_proba(matrix)
    columns = [list(model.classes_).index(name) for name in order]
    result: Array = proba[:, columns]
    return result


def expected_calibration_error(proba: Array, truth: NDArray[np.intp], bins: int = 10) -> float:
    """ECE of the top-class confidence over equal-width bins."""
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == truth
    edges = np.linspace(0, 1, bins + 1)
    error = 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            error += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(error)


def status_metrics(proba: Array, truth: NDArray[np.intp], prior: Array) -> dict[str, float]:
    """Model vs. the training majority class and the training class prior."""
    labels = list(range(len(STATUSES)))
    present = sorted(set(truth.tolist()))
    predicted = proba.argmax(axis=1)
    majority = np.full_like(truth, int(np.argmax(prior)))
    prior_rows = np.tile(prior, (len(truth), 1))
    target_majority = Counter(truth.tolist()).most_common(1)[0][0]
    return {
        "n": len(truth),
        "accuracy": float((predicted == truth).mean()),
        "macro_f1": float(
            f1_score(truth, predicted, labels=present, average="macro", zero_division=0)
        ),
        "log_loss": float(log_loss(truth, np.clip(proba, 1e-15, 1), labels=labels)),
        "ece": expected_calibration_error(proba, truth),
        "majority_accuracy": float((majority == truth).mean()),
        "majority_macro_f1": float(
            f1_score(truth, majority, labels=present, average="macro", zero_division=0)
        ),
        "prior_log_loss": float(log_loss(truth, prior_rows, labels=labels)),
        "prior_ece": expected_calibration_error(prior_rows, truth),
        "oracle_target_majority_accuracy": float((truth == target_majority).mean()),
    }


@dataclass
class Dataset:
    records: list[Record]
    masked: sparse.csr_matrix
    unmasked: sparse.csr_matrix
    truth: NDArray[np.intp]
    groups: NDArray[np.intp]
    """Each record's category column (0 .. n_groups-1; the last is "unknown category")."""
    n_groups: int


def build_dataset(
    records: list[Record], layout: FeatureLayout, *, with_unmasked: bool = True
) -> Dataset:
    masked = feature_matrix(records, layout)
    return Dataset(
        records=records,
        masked=masked,
        unmasked=feature_matrix(records, layout, mask_outcome=False) if with_unmasked else masked,
        truth=np.array([STATUSES.index(r.status) for r in records]),
        groups=np.array(
            [layout.category_column(r.category) - layout.category_start for r in records]
        ),
        n_groups=len(layout.categories) + 1,
    )


def ordered_logits(
    model: LogisticRegression, matrix: sparse.csr_matrix, order: Sequence[str]
) -> Array:
    logits = model.decision_function(matrix)
    columns = [list(model.classes_).index(name) for name in order]
    result: Array = logits[:, columns]
    return result


def _softmax(logits: Array) -> Array:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: Array = exp / exp.sum(axis=1, keepdims=True)
    return result


@dataclass(frozen=True)
class Calibration:
    """Temperature and per-class bias applied to the logits: softmax(logits / T + b)."""

    temperature: float
    bias: Array

    def apply(self, logits: Array) -> Array:
        return _softmax(logits / self.temperature + self.bias)


def fit_calibration(
    logits: Array, truth: NDArray[np.intp], networks: Sequence[str], *, with_bias: bool
) -> Calibration:
    """Minimise the network-balanced log-loss of out-of-network predictions."""
    weights = network_weights(networks)
    rows = np.arange(len(truth))

    def bias(params: Array) -> Array:
        return np.concatenate([[0.0], params[1:]]) if with_bias else np.zeros(len(STATUSES))

    def loss(params: Array) -> float:
        scaled = logits / np.exp(params[0]) + bias(params)
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_proba = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-(weights * log_proba[rows, truth]).sum() / weights.sum())

    best = optimize.minimize(loss, np.zeros(3), method="L-BFGS-B")
    return Calibration(float(np.exp(best.x[0])), bias(best.x))


def calibrate(model: LogisticRegression, calibration: Calibration) -> None:
    """Fold the calibration into the weights (so scikit-learn and numpy still agree)."""
    bias = np.array([calibration.bias[STATUSES.index(c)] for c in model.classes_])
    coef = model.coef_ / calibration.temperature
    intercept = model.intercept_ / calibration.temperature + bias
    model.coef_ = coef.astype(np.float32).astype(np.float64)
    model.intercept_ = intercept.astype(np.float32).astype(np.float64)


def _fit_and_logits(
    data: Dataset, train: NDArray[np.bool_], test: NDArray[np.bool_], *, masked: bool = True
) -> tuple[Array, Array]:
    """Out-of-sample logits for `test` and the training (network-balanced) class prior."""
    matrix = data.masked if masked else data.unmasked
    networks = [r.network for r, keep in zip(data.records, train, strict=True) if keep]
    weights = network_weights(networks)
    targets = [STATUSES[t] for t in data.truth[train]]
    model = fit_logistic(matrix[train], targets, weights, C_STATUS)
    prior = np.bincount(data.truth[train], minlength=3) / train.sum()
    targets_by_group = group_priors(data.truth[train], data.groups[train], data.n_groups)
    bias = match_priors(
        ordered_logits(model, matrix[train], STATUSES), data.groups[train], targets_by_group
    )
    return ordered_logits(model, matrix[test], STATUSES) + bias[data.groups[test]], prior


def group_priors(
    truth: NDArray[np.intp], groups: NDArray[np.intp], n_groups: int, n_classes: int = 3
) -> Array:
    """Each group's pooled class frequencies, smoothed toward the overall pooled frequencies."""
    overall = np.bincount(truth, minlength=n_classes) / len(truth)
    counts = np.zeros((n_groups, n_classes))
    np.add.at(counts, (groups, truth), 1.0)
    smoothed: Array = (counts + CATEGORY_PRIOR_SMOOTHING * overall) / (
        counts.sum(axis=1, keepdims=True) + CATEGORY_PRIOR_SMOOTHING
    )
    return smoothed


def match_priors(
    logits: Array, groups: NDArray[np.intp], targets: Array, iterations: int = 25
) -> Array:
    """Per-group logit biases making each group's mean predicted distribution its target.

    The fixed point of Saerens et al.'s EM prior adjustment with the priors known: each round
    multiplies a group's probabilities by target / current mean. Groups without rows get 0.
    """
    bias = np.zeros_like(targets)
    present = np.bincount(groups, minlength=len(targets)) > 0
    for _ in range(iterations):
        proba = _softmax(logits + bias[groups])
        sums = np.zeros_like(targets)
        np.add.at(sums, groups, proba)
        means = sums[present] / sums[present].sum(axis=1, keepdims=True)
        bias[present] += np.log(targets[present]) - np.log(means)
    return bias


def barrier_records(records: Sequence[Record]) -> list[int]:
    return [i for i, r in enumerate(records) if r.status == "End of life" and r.barrier]


CALIBRATIONS = {"none": None, "temperature": False, "temperature_and_bias": True}


def _calibrated(
    kind: str, logits: Array, truth: NDArray[np.intp], networks: Sequence[str]
) -> Calibration:
    with_bias = CALIBRATIONS[kind]
    if with_bias is None:
        return Calibration(1.0, np.zeros(len(STATUSES)))
    return fit_calibration(logits, truth, networks, with_bias=with_bias)


def evaluate(data: Dataset, *, measure_unmasked: bool = True) -> tuple[dict[str, Any], Calibration]:
    """All held-out measurements, and the calibration to ship.

    Three calibrations of the logits are compared leave-one-network-out (the scored network is
    never in the data its calibration is fitted on); the one with the lowest mean log-loss over
    the held-out networks is refitted on all out-of-network predictions and shipped.
    """
    networks = np.array([r.network for r in data.records])
    names = sorted(set(networks))
    logits = np.zeros((len(data.records), len(STATUSES)))
    priors = {}
    report: dict[str, Any] = {"unmasked_leave_one_network_out": {}}
    for network in names:
        log.info("leave out %s", network)
        test = networks == network
        logits[test], priors[network] = _fit_and_logits(data, ~test, test)
        if measure_unmasked and any(
            r.problem for r, t in zip(data.records, test, strict=True) if t
        ):
            unmasked, _ = _fit_and_logits(data, ~test, test, masked=False)
            report["unmasked_leave_one_network_out"][network] = status_metrics(
                _softmax(unmasked), data.truth[test], priors[network]
            )
    by_kind: dict[str, dict[str, dict[str, float]]] = {}
    for kind in CALIBRATIONS:
        by_kind[kind] = {}
        for network in names:
            test = networks == network
            calibration = _calibrated(kind, logits[~test], data.truth[~test], list(networks[~test]))
            by_kind[kind][network] = status_metrics(
                calibration.apply(logits[test]), data.truth[test], priors[network]
            )
    mean_loss = {
        kind: float(np.mean([r["log_loss"] for r in rows.values()]))
        for kind, rows in by_kind.items()
    }
    chosen = min(mean_loss, key=lambda kind: mean_loss[kind])
    report["leave_one_network_out"] = by_kind[chosen]
    report["uncalibrated_leave_one_network_out"] = by_kind["none"]
    report["calibration_comparison"] = {
        kind: {
            "mean_log_loss": mean_loss[kind],
            "mean_accuracy": float(np.mean([r["accuracy"] for r in rows.values()])),
            "mean_macro_f1": float(np.mean([r["macro_f1"] for r in rows.values()])),
            "mean_ece": float(np.mean([r["ece"] for r in rows.values()])),
        }
        for kind, rows in by_kind.items()
    }
    dates = np.array([r.date for r in data.records])
    dated = dates != ""
    before, after = dated & (dates < DATE_CUTOFF), dated & (dates >= DATE_CUTOFF)
    log.info("date split at %s", DATE_CUTOFF)
    date_logits, date_prior = _fit_and_logits(data, before, after)
    early = _calibrated(chosen, logits[before], data.truth[before], list(networks[before]))
    report["by_date"] = status_metrics(early.apply(date_logits), data.truth[after], date_prior)
    report["barrier_leave_one_network_out"] = evaluate_barriers(data)
    report["replay_leave_one_network_out"] = evaluate_replay(data, logits, chosen)
    report["masked_text_share"] = masked_share(data.records)
    final = _calibrated(chosen, logits, data.truth, list(networks))
    report["calibration"] = {
        "kind": chosen,
        "temperature": final.temperature,
        "bias": final.bias.tolist(),
    }
    return report, final


def masked_share(records: Sequence[Record]) -> float:
    from chalicelib.ml.text_features import MASK, normalise

    texts = [r.problem for r in records if r.problem]
    return sum(MASK in normalise(t) for t in texts) / max(len(texts), 1)


def evaluate_barriers(data: Dataset) -> dict[str, dict[str, float]]:
    rows = barrier_records(data.records)
    networks = np.array([data.records[i].network for i in rows])
    targets = np.array([data.records[i].barrier for i in rows])
    matrix = data.masked[rows]
    report = {}
    for network in sorted(set(networks)):
        test = networks == network
        if len(set(networks[~test])) < 2 or test.sum() < 50:
            continue
        weights = network_weights(list(networks[~test]))
        model = fit_logistic(matrix[~test], list(targets[~test]), weights, C_BARRIER)
        predicted = model.predict(matrix[test])
        majority = Counter(targets[~test].tolist()).most_common(1)[0][0]
        report[network] = {
            "n": int(test.sum()),
            "accuracy": float((predicted == targets[test]).mean()),
            "majority_accuracy": float((targets[test] == majority).mean()),
        }
    return report


def category_offsets(
    unpowered: dict[str, dict[str, float]], records: Sequence[Record]
) -> dict[str, Array]:
    """Log-ratio of each unpowered category's status shares to the powered records' shares."""
    base = np.zeros(3)
    for record in records:
        base[STATUSES.index(record.status)] += 1.0
    base = base / base.sum()
    offsets = {}
    for category, counts in unpowered.items():
        shares = np.array([counts[s] for s in STATUSES]) + 1.0
        shares = shares / shares.sum()
        offsets[category] = np.log(shares) - np.log(base)
    return offsets


def train_outcome_model(
    records: list[Record],
    categories: list[str],
    unpowered: dict[str, dict[str, float]],
    version: str,
    *,
    run_evaluation: bool = True,
    measure_unmasked: bool = True,
) -> tuple[OutcomeModel, dict[str, Any]]:
    layout = FeatureLayout(categories)
    log.info("building features for %d records", len(records))
    data = build_dataset(records, layout, with_unmasked=run_evaluation and measure_unmasked)
    metrics: dict[str, Any] = {}
    calibration = Calibration(1.0, np.zeros(len(STATUSES)))
    if run_evaluation:
        metrics, calibration = evaluate(data, measure_unmasked=measure_unmasked)
    log.info("fitting the shipped outcome model")
    weights = network_weights([r.network for r in records])
    status_model = fit_logistic(data.masked, [r.status for r in records], weights, C_STATUS)
    calibrate(status_model, calibration)
    targets_by_group = group_priors(data.truth, data.groups, data.n_groups)
    bias = match_priors(
        ordered_logits(status_model, data.masked, STATUSES), data.groups, targets_by_group
    )
    order = [list(status_model.classes_).index(s) for s in STATUSES]
    # Fold the prior correction into the category one-hot columns (every row has exactly one).
    coef = status_model.coef_.copy()
    for group in range(data.n_groups):
        coef[order, layout.category_start + group] += bias[group]
    status_model.coef_ = coef.astype(np.float32).astype(np.float64)
    rows = barrier_records(records)
    barrier_model = fit_logistic(
        data.masked[rows],
        [records[i].barrier for i in rows],
        network_weights([records[i].network for i in rows]),
        C_BARRIER,
    )
    barrier_truth = np.array([list(barrier_model.classes_).index(records[i].barrier) for i in rows])
    barrier_prior = np.bincount(barrier_truth, minlength=len(barrier_model.classes_)) / len(rows)
    barrier_bias = match_priors(
        barrier_model.decision_function(data.masked[rows]),
        np.zeros(len(rows), dtype=np.intp),
        barrier_prior[None, :],
    )
    barrier_model.intercept_ = (
        (barrier_model.intercept_ + barrier_bias[0]).astype(np.float32).astype(np.float64)
    )
    offsets = category_offsets(unpowered, records)
    priors = training_priors(records, layout, targets_by_group, unpowered, barrier_prior)
    model = OutcomeModel(
        layout=layout,
        coef=status_model.coef_[order],
        intercept=status_model.intercept_[order],
        barrier_coef=barrier_model.coef_,
        barrier_intercept=barrier_model.intercept_,
        barriers=tuple(str(b) for b in barrier_model.classes_),
        category_offsets=offsets,
        barrier_min_probability=BARRIER_MIN_PROBABILITY,
        version=version,
        train_prior=np.array(priors["status"]),
        category_priors={k: np.array(v) for k, v in priors["status_by_category"].items()},
        barrier_prior=barrier_prior,
    )
    sample = np.linspace(0, len(records) - 1, 60).astype(int)
    fixture = data.masked[sample]
    metrics["parity_fixture"] = {
        "indptr": fixture.indptr,
        "indices": fixture.indices,
        "data": fixture.data,
        "sklearn_proba": ordered_proba(status_model, fixture, STATUSES),
        "sklearn_barrier_proba": barrier_model.predict_proba(fixture),
    }
    metrics["n_records"] = len(records)
    metrics["n_with_text"] = sum(bool(r.problem) for r in records)
    metrics["networks"] = dict(Counter(r.network for r in records))
    metrics["barrier_classes"] = list(model.barriers)
    metrics["n_barrier_records"] = len(rows)
    metrics["priors"] = priors
    return model, metrics


def training_priors(
    records: Sequence[Record],
    layout: FeatureLayout,
    status_by_group: Array,
    unpowered: dict[str, dict[str, float]],
    barrier_prior: Array,
) -> dict[str, Any]:
    """The priors the shipped model reports on average (what `adaptation.PriorShift` divides by).

    Pooled over the training records: overall, per category (smoothed, as matched), the
    unpowered categories' shares (their offsets reproduce them), and the barriers.
    """
    counts = Counter(r.status for r in records)
    seen = {layout.category_column(r.category) - layout.category_start for r in records}
    by_category = {
        name: status_by_group[i].tolist() for i, name in enumerate(layout.categories) if i in seen
    }
    for name, shares in unpowered.items():
        values = np.array([shares[s] for s in STATUSES]) + 1.0
        by_category[name] = (values / values.sum()).tolist()
    return {
        "status": [counts[s] / len(records) for s in STATUSES],
        "status_by_category": by_category,
        "barrier": barrier_prior.tolist(),
    }


def save_outcome_model(model: OutcomeModel, target: Path) -> None:
    names = sorted(model.category_offsets)
    # Uncompressed: loads in a third of the time (cold start).
    np.savez(
        target,
        coef=model.coef.astype(np.float32),
        intercept=model.intercept.astype(np.float32),
        barrier_coef=model.barrier_coef.astype(np.float32),
        barrier_intercept=model.barrier_intercept.astype(np.float32),
        category_offsets=np.stack([model.category_offsets[n] for n in names]),
    )
    meta = {
        "version": model.version,
        "statuses": list(STATUSES),
        "categories": list(model.layout.categories),
        "brand_buckets": model.layout.brand_buckets,
        "barriers": list(model.barriers),
        "offset_categories": names,
        "barrier_min_probability": model.barrier_min_probability,
        "priors": {
            "status": model.prior_shift.train_prior.tolist(),
            "status_by_category": {
                name: list(values) for name, values in model.prior_shift.category_priors.items()
            },
            "barrier": model.prior_shift.barrier_prior.tolist(),
        },
    }
    target.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def top_k_accuracy(proba: Array, truth: NDArray[np.intp], k: int) -> float:
    """Share of rows whose true class is among the k most likely (truth -1: never)."""
    if len(truth) == 0:
        return float("nan")
    top = np.argsort(-proba, axis=1, kind="stable")[:, :k]
    return float((top == truth[:, None]).any(axis=1).mean())


def _fold_barriers(
    data: Dataset, train: NDArray[np.bool_], test: NDArray[np.bool_]
) -> tuple[list[str], Array, Array]:
    """The barrier classes, held-out barrier probabilities for every test row, training prior."""
    rows = np.array(barrier_records(data.records))
    train_rows = rows[train[rows]]
    targets = [data.records[i].barrier for i in train_rows]
    model = fit_logistic(
        data.masked[train_rows],
        targets,
        network_weights([data.records[i].network for i in train_rows]),
        C_BARRIER,
    )
    classes = [str(c) for c in model.classes_]
    truth = np.array([classes.index(t) for t in targets])
    prior = np.bincount(truth, minlength=len(classes)) / len(truth)
    bias = match_priors(
        model.decision_function(data.masked[train_rows]),
        np.zeros(len(train_rows), dtype=np.intp),
        prior[None, :],
    )
    proba = _softmax(model.decision_function(data.masked[test]) + bias[0])
    return classes, proba, prior


def evaluate_replay(data: Dataset, logits: Array, chosen: str) -> dict[str, dict[str, Any]]:
    """Each network left out, its records replayed in date order through `adaptation`.

    Static: the global model alone. Replayed: the same probabilities corrected by the state built
    from the network's earlier records. Baselines: the training networks' prior and majority
    (static), the prior so far overall and per category (replayed; they learn too).
    """
    from chalicelib.ml.adaptation import PriorShift
    from chalicelib.ml.outcome_model import STATUSES as MODEL_STATUSES
    from training.replay import replay_scores

    networks = np.array([r.network for r in data.records])
    report: dict[str, dict[str, Any]] = {}
    for network in sorted(set(networks)):
        log.info("replay %s", network)
        test = networks == network
        train = ~test
        calibration = _calibrated(chosen, logits[train], data.truth[train], list(networks[train]))
        static = calibration.apply(logits[test])
        by_group = group_priors(data.truth[train], data.groups[train], data.n_groups)
        names: dict[str, Array] = {}
        for record, group in zip(data.records, data.groups, strict=True):
            if record.category and record.category not in names:
                names[record.category] = by_group[group]
        classes, barrier_static, barrier_prior = _fold_barriers(data, train, test)
        shift = PriorShift(
            train_prior=np.bincount(data.truth[train], minlength=3) / train.sum(),
            category_priors=names,
            barrier_prior=barrier_prior,
            barriers=tuple(classes),
        )
        indices = np.flatnonzero(test)
        order = sorted(
            range(len(indices)),
            key=lambda i: (not data.records[indices[i]].date, data.records[indices[i]].date),
        )
        records = [data.records[indices[i]] for i in order]
        truth = data.truth[indices[order]]
        static = static[order]
        barrier_static = barrier_static[order]
        replayed = replay_scores(records, static, barrier_static, shift)
        prior = shift.train_prior
        row = {
            "n": len(records),
            "static": status_metrics(static, truth, prior),
            "replayed": status_metrics(replayed.status, truth, prior),
            "prior_so_far": status_metrics(replayed.prior_so_far, truth, prior),
            "category_prior_so_far": status_metrics(replayed.category_prior_so_far, truth, prior),
        }
        # A barrier the training networks never recorded counts as a miss (index -1).
        with_barrier = np.array(
            [r.status == MODEL_STATUSES[2] and bool(r.barrier) for r in records]
        )
        barrier_truth = np.array(
            [
                classes.index(r.barrier) if r.barrier in classes else -1
                for r, keep in zip(records, with_barrier, strict=True)
                if keep
            ]
        )
        if len(barrier_truth):
            prior_rows = np.tile(barrier_prior, (len(barrier_truth), 1))
            row["barrier"] = {
                "n": int(with_barrier.sum()),
                "n_unseen_barrier": int((barrier_truth < 0).sum()),
                **{
                    f"{name}_top{k}": top_k_accuracy(proba, barrier_truth, k)
                    for name, proba in (
                        ("static", barrier_static[with_barrier]),
                        ("replayed", replayed.barrier[with_barrier]),
                        ("training_prior", prior_rows),
                        ("prior_so_far", replayed.barrier_prior_so_far[with_barrier]),
                    )
                    for k in (1, 3)
                },
            }
        report[network] = row
    return report
