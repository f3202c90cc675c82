"""Every change localaws makes to moto, one module per moto behaviour, applied in one call.

Each module's docstring names the moto behaviour it covers; each has a unit test under
`tests/unit/localaws/` that fails if a moto upgrade moves or stops calling what it hooks.
`apply_all` is idempotent; `restore_all` undoes everything (for in-process tests). `README.md`
beside this file indexes the patches, with any upstream report of each behaviour.
"""

from __future__ import annotations

from localaws.lambda_pool import LambdaRuntime
from localaws.patches import (
    apigateway_import,
    apigateway_redeploy_stage,
    budgets_update,
    cloudfront_config_fields,
    cloudfront_function_publish,
    cognito_admin_only_sign_up,
    cognito_signing_key,
    dynamodb_item_lock,
    lambda_invoke,
    s3_notification_filter,
    sfn_client_cache,
    sfn_execution_name,
    sfn_express_type,
    sfn_lambda_client_errors,
    sfn_sync_execution,
)
from localaws.patches._patching import PatchTargetMissingError, restore_all

__all__ = ["PatchTargetMissingError", "apply_all", "restore_all"]


def apply_all(runtime: LambdaRuntime) -> None:
    lambda_invoke.apply(runtime)
    sfn_express_type.apply()
    sfn_execution_name.apply()
    sfn_sync_execution.apply()
    sfn_client_cache.apply()
    sfn_lambda_client_errors.apply()
    apigateway_import.apply()
    apigateway_redeploy_stage.apply()
    s3_notification_filter.apply()
    cloudfront_config_fields.apply()
    cloudfront_function_publish.apply()
    budgets_update.apply()
    dynamodb_item_lock.apply()
    cognito_signing_key.apply()
    cognito_admin_only_sign_up.apply()
