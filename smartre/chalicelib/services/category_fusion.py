"""The item from the words and the item from the photo, fused into one answer (pure: no I/O).

The photo model knows 12 categories, the words know all 40 powered ones (DESIGN decision 11). When
both speak, each category's score is the product of the two probabilities, each smoothed by
`SMOOTHING` so that a category one of them cannot name (a kettle for the photo, a chair for the
words) is not ruled out by that silence alone; the scores are then normalised. A photo the model
did not recognise says nothing reliable and is left out, so the words alone decide. The fused
answer counts as recognised when its top category reaches `RECOGNISED_CONFIDENCE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SMOOTHING = 0.02
RECOGNISED_CONFIDENCE = 0.5
TEXT_MIN_CONFIDENCE = 0.5
"""Below this the words' category is only offered to the person, never used on its own."""


def fuse_probabilities(photo: Mapping[str, float], text: Mapping[str, float]) -> dict[str, float]:
    """Normalised product of the smoothed photo and text distributions over both label sets."""
    labels = sorted(set(photo) | set(text))
    scores = {
        label: (float(photo.get(label, 0.0)) + SMOOTHING)
        * (float(text.get(label, 0.0)) + SMOOTHING)
        for label in labels
    }
    total = sum(scores.values())
    return {label: score / total for label, score in scores.items()}


def fused_category(
    photo: Mapping[str, Any], text: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, float]] | None:
    """The ProductCategory answer and distribution for a recognised photo plus words, else None."""
    if photo.get("status") != "ok" or not text or not text.get("probabilities"):
        return None
    if not photo["productCategory"].get("recognised") or not photo.get("probabilities"):
        return None
    fused = fuse_probabilities(photo["probabilities"], text["probabilities"])
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    label, confidence = ranked[0]
    return (
        {
            "label": label,
            "confidence": round(confidence, 4),
            "recognised": confidence >= RECOGNISED_CONFIDENCE,
            "top3": [{"label": name, "confidence": round(p, 4)} for name, p in ranked[:3]],
        },
        fused,
    )


def public_text_category(text: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the API shows of the words' category: label, confidence, top 3 (no full table)."""
    if not text:
        return None
    return {key: text[key] for key in ("label", "confidence", "top3")}


def confident_text_label(text: Mapping[str, Any] | None) -> str | None:
    if text and float(text.get("confidence", 0.0)) >= TEXT_MIN_CONFIDENCE:
        return str(text["label"])
    return None
