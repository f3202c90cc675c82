"""The trained models, loaded once per Lambda container (the first call pays the load)."""

from __future__ import annotations

import functools

from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.outcome_model import OutcomeModel


@functools.cache
def image_classifier() -> ImageClassifier:
    return ImageClassifier.load()


@functools.cache
def outcome_model() -> OutcomeModel:
    return OutcomeModel.load()
