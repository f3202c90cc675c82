"""The distribution: what it must say, and that applying it twice changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra import cloudfront
from infra.definition import stage
from infra.provision import Report
from localaws.patches import cloudfront_config_fields, cloudfront_function_publish, restore_all

DEV = stage("dev", "123456789012")
API = "abc123.execute-api.eu-west-1.amazonaws.com"


def config(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "access_control_id": "E1OAC",
        "function_arn": "arn:aws:cloudfront::123456789012:function/spa",
        "api_domain": API,
        "origin_secret": "s3cr3t",
        **overrides,
    }
    return cloudfront.distribution_config(DEV, **arguments)


def test_deep_links_are_the_site_behaviour_s_function_not_error_pages() -> None:
    wanted = config()
    api = wanted["CacheBehaviors"]["Items"][0]

    assert wanted["DefaultCacheBehavior"]["FunctionAssociations"]["Quantity"] == 1
    assert api["FunctionAssociations"] == {"Quantity": 0}
    assert wanted["CustomErrorResponses"] == {"Quantity": 0}


def test_the_api_is_uncached_behind_the_origin_secret() -> None:
    wanted = config()
    api_behaviour = wanted["CacheBehaviors"]["Items"][0]
    api_origin = wanted["Origins"]["Items"][1]

    assert api_behaviour["PathPattern"] == "/api/*"
    assert api_behaviour["CachePolicyId"] == cloudfront.CACHING_DISABLED_POLICY_ID
    assert api_behaviour["ViewerProtocolPolicy"] == "https-only"
    assert (api_origin["DomainName"], api_origin["OriginPath"]) == (API, "/v1")
    assert api_origin["CustomHeaders"]["Items"] == [
        {"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t"}
    ]


def test_the_bare_api_path_goes_to_the_api_not_the_site() -> None:
    # `/api/*` does not match `/api`: without a behaviour of its own the SPA page answered it.
    api, bare = config()["CacheBehaviors"]["Items"]

    assert bare["PathPattern"] == "/api"
    assert {**bare, "PathPattern": "/api/*"} == api


def test_belgium_only_https_and_a_day_of_caching_for_the_site() -> None:
    wanted = config()

    assert wanted["Restrictions"]["GeoRestriction"] == {
        "RestrictionType": "whitelist",
        "Quantity": 1,
        "Items": ["BE"],
    }
    assert wanted["DefaultCacheBehavior"]["DefaultTTL"] == 86400
    assert wanted["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert wanted["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1"


def test_a_custom_domain_gets_tls_1_2() -> None:
    certificate = cloudfront.Certificate("repair.example.be", "arn:aws:acm:us-east-1:1:cert/x")
    wanted = config(certificate=certificate)

    assert wanted["Aliases"] == {"Quantity": 1, "Items": ["repair.example.be"]}
    assert wanted["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert cloudfront.site_origins(
        cloudfront.Distribution("E1", "arn", "d1.cloudfront.net"), certificate
    ) == ("https://d1.cloudfront.net", "https://repair.example.be")


def test_contains_ignores_what_aws_adds_and_the_order_of_methods() -> None:
    wanted = {"A": {"Items": ["GET", "HEAD"], "Quantity": 2}, "B": [{"Id": "x"}]}
    current = {"A": {"Items": ["HEAD", "GET"], "Quantity": 2}, "B": [{"Id": "x", "Extra": 1}]}

    assert cloudfront.contains(current, wanted)
    assert not cloudfront.contains({**current, "B": [{"Id": "y"}]}, wanted)
    assert not cloudfront.contains({"A": current["A"]}, wanted)


@pytest.fixture
def aws() -> Iterator[tuple[Any, Any]]:
    # moto keeps neither a distribution's OAC and function fields nor has PublishFunction.
    cloudfront_config_fields.apply()
    cloudfront_function_publish.apply()
    try:
        with mock_aws():
            s3 = boto3.client("s3", region_name="eu-west-1")
            s3.create_bucket(
                Bucket=DEV.site_bucket.name,
                CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
            )
            yield boto3.client("cloudfront", region_name="us-east-1"), s3
    finally:
        restore_all()


def apply(cf: Any, s3: Any) -> tuple[Report, cloudfront.Distribution]:
    report = Report()
    oac = cloudfront.ensure_access_control(cf, DEV, report)
    function = cloudfront.ensure_spa_function(cf, DEV, report)
    wanted = config(access_control_id=oac, function_arn=function)
    distribution, _ = cloudfront.ensure_distribution(cf, DEV, wanted, report)
    cloudfront.ensure_site_bucket_policy(s3, DEV, distribution.arn, report)
    return report, distribution


def test_applying_twice_creates_once(aws: tuple[Any, Any]) -> None:
    cf, s3 = aws
    first, distribution = apply(cf, s3)
    second, _ = apply(cf, s3)

    policy = json.loads(s3.get_bucket_policy(Bucket=DEV.site_bucket.name)["Policy"])
    assert [a for _, a in first.actions] == ["created"] * 4
    assert [a for _, a in second.actions] == ["unchanged"] * 4
    assert {s["Condition"]["StringEquals"]["AWS:SourceArn"] for s in policy["Statement"]} == {
        distribution.arn
    }


def test_a_changed_function_is_updated_and_published(
    aws: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    cf, s3 = aws
    apply(cf, s3)
    changed = tmp_path / "spa_rewrite.js"
    changed.write_text("function handler(event) { return event.request; }\n")
    monkeypatch.setattr(cloudfront, "SPA_FUNCTION_FILE", changed)

    report = Report()
    cloudfront.ensure_spa_function(cf, DEV, report)

    live = cf.get_function(Name=cloudfront.names(DEV).function, Stage="LIVE")
    assert [a for _, a in report.actions] == ["updated"]
    assert live["FunctionCode"].read() == changed.read_bytes()


def test_a_changed_config_updates_the_same_distribution(aws: tuple[Any, Any]) -> None:
    cf, s3 = aws
    _, distribution = apply(cf, s3)
    wanted = config(api_domain="other.execute-api.eu-west-1.amazonaws.com")

    report = Report()
    updated, action = cloudfront.ensure_distribution(cf, DEV, wanted, report)

    assert (action, updated.id) == ("updated", distribution.id)


def test_delete_removes_distribution_function_access_control_and_grant(
    aws: tuple[Any, Any],
) -> None:
    cf, s3 = aws
    apply(cf, s3)
    report = Report()

    cloudfront.delete_distribution(cf, DEV, report, poll_seconds=1)
    cloudfront.delete_site_bucket_policy(s3, DEV, report)
    cloudfront.delete_spa_function(cf, DEV, report)
    cloudfront.delete_access_control(cf, DEV, report)

    assert [a for _, a in report.actions] == [
        "disabled",
        "deleted",
        "deleted",
        "deleted",
        "deleted",
    ]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0
