"""The analysis workflow's contract with its Lambda tasks, written down once.

``stepfunctions/analysis.asl.json`` and the task code meet here: each task's Chalice function name
(in the ASL as ``"Resource": "${classify_image}"``, replaced by the deployed Lambda's ARN when the
definition is rendered), its ASL state name, the error names its
``Retry`` and ``Catch`` match (Step Functions matches a Lambda error by the raised exception's
class name), and the payloads that cross the workflow: each task's input, the two Parallel
branches' results and the merge's input, as ``TypedDict``s that mypy checks in the task code.
``tests/unit/smartre/test_workflow_contract.py`` parses the ASL and fails when either side drifts.

The photo errors are derived from their classes: a new kind of refused photo is a new subclass of
``InvalidImage`` in ``chalicelib.ml.errors`` (plus its status in ``chalicelib.errors``), and the
test then asks for its name in the ASL's ``Catch``. Pure Python, cheap to import: the API's
``workflow.py`` reads the photo error names from here without loading numpy or Pillow. (No
``from __future__ import annotations``: ``Required`` must be seen at run time for the test to read
each payload's keys.)
"""

from dataclasses import dataclass
from typing import Any, Final, Literal, Required, TypedDict

from chalicelib.ml.errors import InvalidImage


class ImageNotFound(Exception):
    """No photo was uploaded under this id (or it already expired)."""


class TransientError(Exception):
    """A dependency failed in a way a retry may fix."""


def _descendants(base: type[Exception]) -> list[type[Exception]]:
    found: list[type[Exception]] = []
    for subclass in base.__subclasses__():
        found += [subclass, *_descendants(subclass)]
    return found


PHOTO_ERRORS: Final[tuple[type[Exception], ...]] = (ImageNotFound, *_descendants(InvalidImage))
"""Why a photo is refused: the execution fails with the name and the API answers a 4xx."""
PHOTO_ERROR_NAMES: Final[tuple[str, ...]] = tuple(error.__name__ for error in PHOTO_ERRORS)

LAMBDA_SERVICE_ERRORS: Final = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)
"""Lambda's own passing failures, retried on every task (the list AWS recommends)."""
ANY_ERROR: Final = "States.ALL"


@dataclass(frozen=True)
class WorkflowTask:
    """One Lambda task state and the errors the ASL handles for it."""

    function: str
    """The Chalice function name: ``${function}`` in the ASL, ``<app>-<stage>-<function>``."""
    state: str
    retry_on: tuple[str, ...]
    catch: tuple[tuple[str, ...], ...] = ()
    """Each ``Catch`` entry's ``ErrorEquals``, in the ASL's order (the first match wins)."""


CLASSIFY_IMAGE: Final = WorkflowTask(
    function="classify_image",
    state="ClassifyImage",
    retry_on=(TransientError.__name__, *LAMBDA_SERVICE_ERRORS),
    # A refused photo is the person's answer (4xx); any other failure leaves the photo out.
    catch=(PHOTO_ERROR_NAMES, (ANY_ERROR,)),
)
ASSESS_REPAIR: Final = WorkflowTask(
    function="assess_repair",
    state="AssessRepair",
    retry_on=(TransientError.__name__, *LAMBDA_SERVICE_ERRORS),
    catch=((ANY_ERROR,),),  # a failed assessment leaves a partial answer
)
MERGE_ANALYSIS: Final = WorkflowTask(
    function="merge_analysis",
    state="Merge",
    retry_on=LAMBDA_SERVICE_ERRORS,  # no Catch: without a merged answer the execution fails
)
TASKS: Final = (CLASSIFY_IMAGE, ASSESS_REPAIR, MERGE_ANALYSIS)
BRANCH_TASKS: Final = frozenset({CLASSIFY_IMAGE.function, ASSESS_REPAIR.function})

PartStatus = Literal["ok", "skipped", "rejected", "failed"]
"""``ok`` from the task; the others from the ASL's Pass states (no photo, refused, task failed)."""


class WorkflowRequest(TypedDict):
    """The validated request as the execution carries it (``AnalysisRequest.workflow_request``)."""

    imageId: str | None
    imageKey: str | None
    description: str | None
    productCategory: str | None
    brand: str | None
    productAgeYears: float | None
    language: str


class ClassifyImageEvent(TypedDict):
    analysisId: str
    correlationId: str
    imageKey: str


class AssessRepairEvent(TypedDict):
    analysisId: str
    correlationId: str
    request: WorkflowRequest


class RankedLabel(TypedDict):
    label: str
    confidence: float


class CategoryAnswer(TypedDict):
    label: str | None  # None: the photo was not recognised
    confidence: float
    recognised: bool
    top3: list[RankedLabel]


class PhotoPart(TypedDict, total=False):
    """The photo branch's result: ``classify_image``'s answer, or a Pass state's ``status``."""

    status: Required[PartStatus]
    productCategory: CategoryAnswer
    probabilities: dict[str, float]
    modelVersion: str
    timingMs: float
    error: str  # rejected, failed: the error name
    cause: str  # rejected: the task's error as JSON


class TextCategory(TypedDict):
    label: str
    confidence: float
    top3: list[RankedLabel]
    probabilities: dict[str, float]


class Outcome(TypedDict):
    fixed: float
    repairable: float
    endOfLife: float


class Barrier(TypedDict):
    label: str
    confidence: float
    top3: list[RankedLabel]


class Unadapted(TypedDict):
    """The model's answer before this deployment's adaptation; a feedback label adds it to the
    adaptation state's sums (`services.adaptation`)."""

    category: str | None
    outcome: Outcome
    barriers: dict[str, float]


class CategoryOutcome(Outcome, total=False):
    barrier: Required[Barrier | None]
    unadapted: Unadapted


class AssessmentPart(TypedDict, total=False):
    """The text branch's result: ``assess_repair``'s answer, or ``failed`` from its Catch."""

    status: Required[PartStatus]
    outcome: Outcome
    barrier: Barrier | None
    outcomeByCategory: dict[str, CategoryOutcome] | None
    unadapted: Unadapted
    categoryFromText: TextCategory | None
    safetyWarnings: list[dict[str, Any]]
    modelVersions: dict[str, str]
    timingMs: float
    error: str


class MergeEvent(TypedDict):
    analysisId: str
    correlationId: str
    request: WorkflowRequest
    requestedAt: str
    photo: PhotoPart
    assessment: AssessmentPart
