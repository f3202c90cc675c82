"""The trained models, loaded once per Lambda container (the first call pays the load)."""

from __future__ import annotations

import functools

from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.outcome_model import OutcomeModel
from chalicelib.ml.similar_records import SimilarRecordsIndex
from chalicelib.ml.text_category import TextCategoryModel


@functools.cache
def image_classifier() -> ImageClassifier:
    return ImageClassifier.load()


@functools.cache
def outcome_model() -> OutcomeModel:
    return OutcomeModel.load()


@functools.cache
def text_category_model() -> TextCategoryModel:
    return TextCategoryModel.load()


@functools.cache
def similar_records_index() -> SimilarRecordsIndex:
    return SimilarRecordsIndex.load()
