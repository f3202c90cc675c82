"""The CloudFront distribution in front of the site bucket and RepairApp's API (DESIGN.md, 5).

One distribution, two behaviours:
- default (``/*``) → the private site bucket through Origin Access Control; the bucket policy
  lets only this distribution read it. A CloudFront Function (``cloudfront/spa_rewrite.js``) on
  this behaviour alone serves ``/index.html`` for deep links, so there are no distribution-wide
  custom error responses that would turn API errors into the SPA page. Objects without their own
  Cache-Control live 24 h at the edge; hashed assets say a year, ``index.html`` says no-cache.
- ``/api/*`` → RepairApp's API Gateway stage (origin path ``/v1``), caching disabled, every
  viewer header but Host forwarded, and ``X-Origin-Verify: <secret from SSM>`` added so RepairApp
  refuses requests that skip CloudFront (and with it the geo restriction). ``/api`` alone, which
  ``/api/*`` does not match, has a copy of this behaviour: API Gateway answers it (404
  ``NoSuchRoute``), never the site bucket with the SPA page.
Viewers only in Belgium (geo whitelist ``BE``); HTTP is redirected to HTTPS on the site and
refused on the API (a redirected POST would arrive as a GET). With the default
``*.cloudfront.net`` certificate CloudFront fixes the viewer security policy at TLSv1 whatever
is asked; a custom domain (``SITE_DOMAIN`` + an ACM certificate in us-east-1) gets TLSv1.2_2021.

Idempotency: the distribution is found by its comment; its config is updated only when it does
not already contain everything wanted (AWS adds defaults to what it returns, so equality would
never hold).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import Stage
from infra.provision import Report, _code

# AWS managed policies (ids are the same in every account).
CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

GEO_WHITELIST = ("BE",)
SITE_DEFAULT_TTL_SECONDS = 86400
SITE_MAX_TTL_SECONDS = 31536000
API_PATH_PATTERN = "/api/*"
# `/api/*` does not match `/api` itself, which would then reach the site bucket (the SPA page).
API_ROOT_PATH_PATTERN = "/api"
API_ORIGIN_PATH = "/v1"
# RepairApp's chalicelib.guards checks this header; the apps cannot be imported from here.
ORIGIN_HEADER = "X-Origin-Verify"
SITE_ORIGIN_ID = "site-bucket"
API_ORIGIN_ID = "repairapp-api"
SPA_FUNCTION_FILE = Path(__file__).resolve().parent / "cloudfront" / "spa_rewrite.js"
SPA_FUNCTION_RUNTIME = "cloudfront-js-2.0"
CUSTOM_DOMAIN_TLS_POLICY = "TLSv1.2_2021"
# What CloudFront enforces (and reports) with its default certificate, whatever is requested.
DEFAULT_CERTIFICATE_TLS_POLICY = "TLSv1"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]


@dataclass(frozen=True)
class Names:
    comment: str
    caller_reference: str
    access_control: str
    function: str


def names(stage: Stage) -> Names:
    return Names(
        comment=f"{stage.prefix}: site and API (deploy.sh)",
        caller_reference=f"{stage.prefix}-site",
        access_control=f"{stage.prefix}-site",
        function=f"{stage.prefix}-spa-rewrite",
    )


@dataclass(frozen=True)
class Certificate:
    """A custom domain for the site and its ACM certificate (which must live in us-east-1)."""

    domain: str
    acm_certificate_arn: str


@dataclass(frozen=True)
class Distribution:
    id: str
    arn: str
    domain_name: str


def _items(values: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(values), "Items": values} if values else {"Quantity": 0}


def distribution_config(
    stage: Stage,
    *,
    access_control_id: str,
    function_arn: str,
    api_domain: str,
    origin_secret: str,
    certificate: Certificate | None = None,
) -> dict[str, Any]:
    """The complete DistributionConfig the deploy wants (pure: validated by the unit tests)."""
    site_origin = {
        "Id": SITE_ORIGIN_ID,
        "DomainName": f"{stage.site_bucket.name}.s3.{stage.region}.amazonaws.com",
        "OriginPath": "",
        "CustomHeaders": {"Quantity": 0},
        # An empty identity plus an Origin Access Control: the modern, SigV4-signed access.
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "OriginAccessControlId": access_control_id,
    }
    api_origin = {
        "Id": API_ORIGIN_ID,
        "DomainName": api_domain,
        "OriginPath": API_ORIGIN_PATH,
        "CustomHeaders": _items([{"HeaderName": ORIGIN_HEADER, "HeaderValue": origin_secret}]),
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": "https-only",
            "OriginSslProtocols": _items(["TLSv1.2"]),
            "OriginReadTimeout": 30,
            "OriginKeepaliveTimeout": 5,
        },
    }
    site_behaviour = {
        "TargetOriginId": SITE_ORIGIN_ID,
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": {**_items(["GET", "HEAD"]), "CachedMethods": _items(["GET", "HEAD"])},
        "Compress": True,
        # Legacy cache settings keep the 24 h default TTL in the distribution itself (a custom
        # cache policy would be one more resource to create, compare and delete). Nothing from
        # the viewer is part of the cache key: the site is the same for everyone.
        "ForwardedValues": {
            "QueryString": False,
            "Cookies": {"Forward": "none"},
            "Headers": {"Quantity": 0},
            "QueryStringCacheKeys": {"Quantity": 0},
        },
        "MinTTL": 0,
        "DefaultTTL": SITE_DEFAULT_TTL_SECONDS,
        "MaxTTL": SITE_MAX_TTL_SECONDS,
        "FunctionAssociations": _items(
            [{"FunctionARN": function_arn, "EventType": "viewer-request"}]
        ),
        "LambdaFunctionAssociations": {"Quantity": 0},
    }
    api_behaviour = {
        "PathPattern": API_PATH_PATTERN,
        "TargetOriginId": API_ORIGIN_ID,
        "ViewerProtocolPolicy": "https-only",
        "AllowedMethods": {**_items(ALL_METHODS), "CachedMethods": _items(["GET", "HEAD"])},
        "Compress": False,
        "CachePolicyId": CACHING_DISABLED_POLICY_ID,
        "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
        "FunctionAssociations": {"Quantity": 0},
        "LambdaFunctionAssociations": {"Quantity": 0},
    }
    if certificate is None:
        viewer_certificate: dict[str, Any] = {
            "CloudFrontDefaultCertificate": True,
            "MinimumProtocolVersion": DEFAULT_CERTIFICATE_TLS_POLICY,
        }
        aliases: list[str] = []
    else:
        viewer_certificate = {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": certificate.acm_certificate_arn,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": CUSTOM_DOMAIN_TLS_POLICY,
        }
        aliases = [certificate.domain]
    return {
        "CallerReference": names(stage).caller_reference,
        "Comment": names(stage).comment,
        "Enabled": True,
        "Aliases": _items(aliases),
        "DefaultRootObject": "index.html",
        "Origins": _items([site_origin, api_origin]),
        "DefaultCacheBehavior": site_behaviour,
        "CacheBehaviors": _items(
            [api_behaviour, {**api_behaviour, "PathPattern": API_ROOT_PATH_PATTERN}]
        ),
        # Never distribution-wide: they would rewrite /api/* errors too (DESIGN.md, 5).
        "CustomErrorResponses": {"Quantity": 0},
        "Restrictions": {
            "GeoRestriction": {"RestrictionType": "whitelist", **_items(list(GEO_WHITELIST))}
        },
        "ViewerCertificate": viewer_certificate,
        # Europe and North America edges only: the viewers are in Belgium.
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
    }


def contains(current: Any, wanted: Any) -> bool:
    """True when ``current`` has every field of ``wanted`` with the same value. Lists of
    scalars compare as sets (AWS may reorder methods); lists of objects compare in order."""
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            key in current and contains(current[key], value) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        if not isinstance(current, list) or len(current) != len(wanted):
            return False
        if all(not isinstance(item, dict | list) for item in wanted):
            return sorted(map(str, current)) == sorted(map(str, wanted))
        return all(contains(c, w) for c, w in zip(current, wanted, strict=True))
    return bool(current == wanted)


# --- lookups ----------------------------------------------------------------------------------
def find_distribution(cloudfront: Any, stage: Stage) -> Distribution | None:
    comment = names(stage).comment
    for page in cloudfront.get_paginator("list_distributions").paginate():
        for item in page.get("DistributionList", {}).get("Items") or []:
            if item.get("Comment") == comment:
                return Distribution(
                    id=str(item["Id"]), arn=str(item["ARN"]), domain_name=str(item["DomainName"])
                )
    return None


def site_origins(distribution: Distribution, certificate: Certificate | None) -> tuple[str, ...]:
    """The browser origins of the site: where photo uploads come from (S3 CORS)."""
    origins = [f"https://{distribution.domain_name}"]
    if certificate is not None:
        origins.append(f"https://{certificate.domain}")
    return tuple(origins)


def _find_access_control(cloudfront: Any, name: str) -> str | None:
    marker = None
    while True:
        params: dict[str, str] = {"Marker": marker} if marker else {}
        listing = cloudfront.list_origin_access_controls(**params)["OriginAccessControlList"]
        for item in listing.get("Items") or []:
            if item["Name"] == name:
                return str(item["Id"])
        marker = listing.get("NextMarker")
        if not marker:
            return None


# --- Origin Access Control --------------------------------------------------------------------
def access_control_config(stage: Stage) -> dict[str, str]:
    return {
        "Name": names(stage).access_control,
        "Description": f"CloudFront reads {stage.site_bucket.name} (signed requests)",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }


def ensure_access_control(cloudfront: Any, stage: Stage, report: Report) -> str:
    name = names(stage).access_control
    existing = _find_access_control(cloudfront, name)
    if existing is not None:
        report.add(f"cloudfront:origin-access-control/{name}", "unchanged")
        return existing
    created = cloudfront.create_origin_access_control(
        OriginAccessControlConfig=access_control_config(stage)
    )
    report.add(f"cloudfront:origin-access-control/{name}", "created")
    return str(created["OriginAccessControl"]["Id"])


# --- the deep-link function -------------------------------------------------------------------
def function_config() -> dict[str, str]:
    return {
        "Comment": "SPA deep links: extension-less paths serve /index.html",
        "Runtime": SPA_FUNCTION_RUNTIME,
    }


def _code_of(response: dict[str, Any]) -> bytes:
    body = response["FunctionCode"]
    return bytes(body.read() if hasattr(body, "read") else body)


def ensure_spa_function(cloudfront: Any, stage: Stage, report: Report) -> str:
    """Create or update the function and publish it to LIVE; return its ARN."""
    name = names(stage).function
    code = SPA_FUNCTION_FILE.read_bytes()
    resource = f"cloudfront:function/{name}"
    try:
        described = cloudfront.describe_function(Name=name, Stage="DEVELOPMENT")
    except ClientError as exc:
        if _code(exc) != "NoSuchFunctionExists":
            raise
        created = cloudfront.create_function(
            Name=name, FunctionConfig=function_config(), FunctionCode=code
        )
        cloudfront.publish_function(Name=name, IfMatch=created["ETag"])
        report.add(resource, "created")
        return str(created["FunctionSummary"]["FunctionMetadata"]["FunctionARN"])
    arn = str(described["FunctionSummary"]["FunctionMetadata"]["FunctionARN"])
    try:
        live = _code_of(cloudfront.get_function(Name=name, Stage="LIVE"))
    except ClientError as exc:
        if _code(exc) != "NoSuchFunctionExists":
            raise
        live = None
    if live == code:
        report.add(resource, "unchanged")
        return arn
    development = cloudfront.get_function(Name=name, Stage="DEVELOPMENT")
    etag = development["ETag"]
    if _code_of(development) != code:
        etag = cloudfront.update_function(
            Name=name, IfMatch=etag, FunctionConfig=function_config(), FunctionCode=code
        )["ETag"]
    cloudfront.publish_function(Name=name, IfMatch=etag)
    report.add(resource, "updated")
    return arn


# --- the distribution -------------------------------------------------------------------------
def ensure_distribution(
    cloudfront: Any, stage: Stage, wanted: dict[str, Any], report: Report
) -> tuple[Distribution, str]:
    """Create or update the distribution; returns it and what happened (for invalidation)."""
    resource = f"cloudfront:distribution/{stage.prefix}"
    found = find_distribution(cloudfront, stage)
    if found is None:
        created = cloudfront.create_distribution_with_tags(
            DistributionConfigWithTags={
                "DistributionConfig": wanted,
                "Tags": {"Items": [{"Key": k, "Value": v} for k, v in sorted(stage.tags.items())]},
            }
        )["Distribution"]
        distribution = Distribution(
            id=str(created["Id"]), arn=str(created["ARN"]), domain_name=str(created["DomainName"])
        )
        report.add(f"{resource} ({distribution.domain_name})", "created")
        return distribution, "created"
    current = cloudfront.get_distribution_config(Id=found.id)
    # The caller reference is fixed at creation; everything else must match.
    comparable = {k: v for k, v in wanted.items() if k != "CallerReference"}
    if contains(current["DistributionConfig"], comparable):
        report.add(f"{resource} ({found.domain_name})", "unchanged")
        return found, "unchanged"
    config = {**wanted, "CallerReference": current["DistributionConfig"]["CallerReference"]}
    cloudfront.update_distribution(Id=found.id, IfMatch=current["ETag"], DistributionConfig=config)
    report.add(f"{resource} ({found.domain_name})", "updated")
    return found, "updated"


def invalidate_all(cloudfront: Any, distribution: Distribution, report: Report) -> None:
    cloudfront.create_invalidation(
        DistributionId=distribution.id,
        InvalidationBatch={
            "Paths": _items(["/*"]),
            "CallerReference": f"deploy-{time.time_ns()}",
        },
    )
    report.add(f"cloudfront:invalidation/{distribution.id} /*", "created")


# --- the site bucket's policy -----------------------------------------------------------------
def site_bucket_policy(stage: Stage, distribution_arn: str) -> dict[str, Any]:
    bucket_arn = f"arn:aws:s3:::{stage.site_bucket.name}"
    only_this_distribution = {"StringEquals": {"AWS:SourceArn": distribution_arn}}
    cloudfront = {"Service": "cloudfront.amazonaws.com"}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudFrontReadsSite",
                "Effect": "Allow",
                "Principal": cloudfront,
                "Action": "s3:GetObject",
                "Resource": f"{bucket_arn}/*",
                "Condition": only_this_distribution,
            },
            {
                # Without it a missing asset is a 403 from S3 instead of a 404.
                "Sid": "CloudFrontListsSite",
                "Effect": "Allow",
                "Principal": cloudfront,
                "Action": "s3:ListBucket",
                "Resource": bucket_arn,
                "Condition": only_this_distribution,
            },
        ],
    }


def ensure_site_bucket_policy(s3: Any, stage: Stage, distribution_arn: str, report: Report) -> None:
    wanted = site_bucket_policy(stage, distribution_arn)
    bucket = stage.site_bucket.name
    try:
        current = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as exc:
        if _code(exc) != "NoSuchBucketPolicy":
            raise
        current = None
    if current == wanted:
        report.add(f"s3://{bucket} policy", "unchanged")
        return
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(wanted))
    report.add(f"s3://{bucket} policy", "created" if current is None else "updated")


# --- removal ----------------------------------------------------------------------------------
def delete_distribution(
    cloudfront: Any, stage: Stage, report: Report, poll_seconds: int = 30
) -> None:
    """Disable, wait until CloudFront has rolled that out (minutes on AWS), then delete."""
    resource = f"cloudfront:distribution/{stage.prefix}"
    found = find_distribution(cloudfront, stage)
    if found is None:
        report.add(resource, "absent")
        return
    current = cloudfront.get_distribution_config(Id=found.id)
    if current["DistributionConfig"]["Enabled"]:
        cloudfront.update_distribution(
            Id=found.id,
            IfMatch=current["ETag"],
            DistributionConfig={**current["DistributionConfig"], "Enabled": False},
        )
        report.add(f"{resource} ({found.domain_name})", "disabled")
    cloudfront.get_waiter("distribution_deployed").wait(
        Id=found.id, WaiterConfig={"Delay": poll_seconds, "MaxAttempts": 90}
    )
    etag = cloudfront.get_distribution(Id=found.id)["ETag"]
    cloudfront.delete_distribution(Id=found.id, IfMatch=etag)
    report.add(f"{resource} ({found.domain_name})", "deleted")


def delete_site_bucket_policy(s3: Any, stage: Stage, report: Report) -> None:
    """The grant names a distribution that no longer exists: remove it with the distribution."""
    bucket = stage.site_bucket.name
    try:
        s3.get_bucket_policy(Bucket=bucket)
    except ClientError as exc:
        if _code(exc) not in {"NoSuchBucketPolicy", "NoSuchBucket"}:
            raise
        report.add(f"s3://{bucket} policy", "absent")
        return
    s3.delete_bucket_policy(Bucket=bucket)
    report.add(f"s3://{bucket} policy", "deleted")


def delete_spa_function(cloudfront: Any, stage: Stage, report: Report) -> None:
    name = names(stage).function
    try:
        etag = cloudfront.describe_function(Name=name)["ETag"]
    except ClientError as exc:
        if _code(exc) != "NoSuchFunctionExists":
            raise
        report.add(f"cloudfront:function/{name}", "absent")
        return
    cloudfront.delete_function(Name=name, IfMatch=etag)
    report.add(f"cloudfront:function/{name}", "deleted")


def delete_access_control(cloudfront: Any, stage: Stage, report: Report) -> None:
    name = names(stage).access_control
    found = _find_access_control(cloudfront, name)
    if found is None:
        report.add(f"cloudfront:origin-access-control/{name}", "absent")
        return
    etag = cloudfront.get_origin_access_control(Id=found)["ETag"]
    cloudfront.delete_origin_access_control(Id=found, IfMatch=etag)
    report.add(f"cloudfront:origin-access-control/{name}", "deleted")
