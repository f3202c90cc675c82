"""Train, measure and export the repair-outcome and barrier models.

Measurement never uses random rows: (a) leave one partner network out (train on the others,
measure on the one left out) and (b) by date (train on events before 2021, measure on events from
2021 on). Every network gets the same total sample weight in training, so the model learns what
the networks have in common rather than the habits (and class balance) of the biggest one.
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


def network_weights(networks: Sequence[str]) -> Array:
    """Weights giving every network the same total, averaging 1 per row."""
    counts = Counter(networks)
    per_network = len(networks) / len(counts)
    return np.array([per_network / counts[n] for n in networks])


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


def build_dataset(records: list[Record], layout: FeatureLayout) -> Dataset:
    return Dataset(
        records=records,
        masked=feature_matrix(records, layout),
        unmasked=feature_matrix(records, layout, mask_outcome=False),
        truth=np.array([STATUSES.index(r.status) for r in records]),
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
    prior = np.bincount(data.truth[train], weights=weights, minlength=3) / weights.sum()
    return ordered_logits(model, matrix[test], STATUSES), prior


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


def evaluate(data: Dataset) -> tuple[dict[str, Any], Calibration]:
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
        if any(r.problem for r, t in zip(data.records, test, strict=True) if t):
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
    weights = network_weights([r.network for r in records])
    base = np.zeros(3)
    for record, weight in zip(records, weights, strict=True):
        base[STATUSES.index(record.status)] += weight
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
) -> tuple[OutcomeModel, dict[str, Any]]:
    layout = FeatureLayout(categories)
    log.info("building features for %d records", len(records))
    data = build_dataset(records, layout)
    metrics: dict[str, Any] = {}
    calibration = Calibration(1.0, np.zeros(len(STATUSES)))
    if run_evaluation:
        metrics, calibration = evaluate(data)
    log.info("fitting the shipped outcome model")
    weights = network_weights([r.network for r in records])
    status_model = fit_logistic(data.masked, [r.status for r in records], weights, C_STATUS)
    calibrate(status_model, calibration)
    rows = barrier_records(records)
    barrier_model = fit_logistic(
        data.masked[rows],
        [records[i].barrier for i in rows],
        network_weights([records[i].network for i in rows]),
        C_BARRIER,
    )
    order = [list(status_model.classes_).index(s) for s in STATUSES]
    offsets = category_offsets(unpowered, records)
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
    return model, metrics


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
    }
    target.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
