"""Pure inference for SmartRe: bytes and text in, predictions out.

Only numpy and Pillow are imported here (never boto3 or scikit-learn), so the Lambda package stays
small and cold starts stay fast. The models are trained by `training/` and shipped as `.npz`/`.json`
files in `artifacts/`.
"""
