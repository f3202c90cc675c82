"""The photos bucket's name without the account id: a random suffix, generated once, kept in SSM.

Every upload answer shows the photos bucket's name (the presigned POST's URL, and the ``bucket``
condition of its policy), and the public reads those answers: a name ending in the account id
gave the account away. Bucket names are global, so something must still keep two deployments
apart: 8 random bytes (16 hex digits) generated on a stage's first deploy and stored as a plain
String parameter ``/repairapp/<stage>/photos-bucket-suffix`` (the way the stage's secrets are
kept). Every later run reads it back, so a second deploy names the same bucket; nothing rotates
it. ``deploy.sh --delete`` removes it with the bucket.

Why not uploads through CloudFront, which would hide the bucket behind the site's own domain:
a presigned POST is checked by S3 against the bucket it names, and Origin Access Control signs
origin requests itself, so the browser's form signature and CloudFront's would collide; a
``/photos/*`` behaviour would also put 10 MB uploads on the CDN's bill and timeouts. A random
name keeps the upload path as DESIGN.md decision 3 has it.

Existing stages migrate on their next deploy (``retire_legacy_bucket``): uploads go to the new
bucket at once; the old ``repairapp-<stage>-photos-<account>`` keeps its 7-day expiry rule, so
it empties itself, and the first deploy after that deletes it. Photos in it are not copied (a
copy would restart their 7 days): an analysis made before the switch keeps its result, and its
photo is gone for SmartRe from the switch on (the scrub on close finds nothing to delete).
"""

from __future__ import annotations

import secrets
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import LOCAL_STAGE, Stage
from infra.definition import stage as make_stage
from infra.provision import Report, _code, _tag_list

SUFFIX_BYTES = 8
DESCRIPTION = "Random suffix of the photos bucket's name (keeps the account id out of uploads)"


def _read(ssm: Any, name: str) -> str | None:
    try:
        return str(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as exc:
        if _code(exc) != "ParameterNotFound":
            raise
        return None


def resolve(ssm: Any, stage: Stage, report: Report, *, create: bool = True) -> Stage:
    """``stage`` with its photos bucket suffix read from SSM; generated first when missing and
    ``create`` (deploys). Without ``create`` (removal) a stage that never had one is returned
    as it is: it has no such bucket to name."""
    if stage.photos_bucket_named:
        return stage
    name = stage.photos_bucket_suffix_parameter
    suffix = _read(ssm, name)
    if suffix is None and create:
        try:
            ssm.put_parameter(
                Name=name,
                Description=DESCRIPTION,
                Value=secrets.token_hex(SUFFIX_BYTES),
                Type="String",
                Tags=_tag_list(stage.tags),
            )
            report.add(f"ssm:{name}", "created")
        except ClientError as exc:  # a concurrent deploy created it first: use theirs
            if _code(exc) != "ParameterAlreadyExists":
                raise
        suffix = _read(ssm, name)
    if suffix is None:
        return stage
    # Validated like any suffix: a hand-edited parameter must not produce a bad bucket name.
    return make_stage(
        stage.stage,
        stage.account,
        stage.region,
        stage.site_origins,
        photos_bucket_suffix=suffix,
        mail_from=stage.mail_from,
    )


def retire_legacy_bucket(s3: Any, stage: Stage, report: Report) -> None:
    """Delete the account-named photos bucket of a stage deployed before issue 18 once its
    expiry rule has emptied it; until then report it as kept. Silent when there is none."""
    if stage.stage == LOCAL_STAGE:
        return
    name = stage.legacy_photos_bucket_name
    try:
        s3.head_bucket(Bucket=name)
    except ClientError as exc:
        if _code(exc) in {"404", "NoSuchBucket", "NotFound", "403", "AccessDenied"}:
            return  # none, or not ours (a 403 is another account's bucket)
        raise
    if s3.list_objects_v2(Bucket=name, MaxKeys=1).get("KeyCount", 0):
        report.add(f"s3://{name} (old photos bucket, deleted once its photos expire)", "unchanged")
        return
    s3.delete_bucket(Bucket=name)
    report.add(f"s3://{name} (old photos bucket)", "deleted")
