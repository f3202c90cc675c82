#!/usr/bin/env bash
# Deploy one stage of RepairApp + SmartRe to an AWS account, or remove everything it created.
#
#   ./deploy.sh [options] STAGE          create or update the stage (dev or prod); idempotent
#   ./deploy.sh --delete STAGE           remove the stage: apps, CDN, workflow, data, budget
#
# Options (environment variable in brackets):
#   --budget-amount N        monthly budget amount                [BUDGET_AMOUNT, default 50]
#   --budget-currency CODE   the account's billing currency       [BUDGET_CURRENCY, default EUR]
#   --alert-email ADDRESS    who gets the budget alerts           [ALERT_EMAIL]
#   SITE_DOMAIN + SITE_CERTIFICATE_ARN (us-east-1 ACM)            custom domain, TLSv1.2_2021
#   MAIL_FROM=ADDRESS        RepairApp's SES sender (verified here; docs/operations.md); none: no mail
# Credentials and region: the usual AWS variables (AWS_PROFILE, AWS_REGION; default eu-west-1).
# Each step below is one function; the logic is Python in infra/ (`python -m infra --help`).
set -euo pipefail
set -o errtrace # the ERR trap names the failed step from inside functions too

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON="$ROOT/.venv/bin/python"
CHALICE="$ROOT/.venv/bin/chalice"
STAGE=""
DELETE=false
CURRENT_STEP=""

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "deploy.sh: $*" >&2; exit 2; }
indent() { sed -u 's/^/    /'; }
infra() { "$PYTHON" -m infra "$1" --stage "$STAGE" "${@:2}"; }

# step TITLE FUNCTION [ARGS...]: run one step, then say how long it took.
step() {
  local title=$1 started=$SECONDS
  shift
  CURRENT_STEP=$title
  printf '\n==> %s\n' "$title"
  "$@"
  printf '    ok (%ss)\n' "$((SECONDS - started))"
}

on_error() {
  echo >&2
  echo "deploy.sh: FAILED at step: ${CURRENT_STEP:-start} (see the output above)" >&2
}

parse_arguments() {
  while (($#)); do
    case $1 in
      --delete) DELETE=true ;;
      --budget-amount) export BUDGET_AMOUNT=${2:?--budget-amount needs a value}; shift ;;
      --budget-currency) export BUDGET_CURRENCY=${2:?--budget-currency needs a value}; shift ;;
      --alert-email) export ALERT_EMAIL=${2:?--alert-email needs a value}; shift ;;
      -h | --help) usage; exit 0 ;;
      -*) die "unknown option $1 (see --help)" ;;
      *) [[ -z $STAGE ]] || die "one stage only"; STAGE=$1 ;;
    esac
    shift
  done
  [[ -n $STAGE ]] || { usage; exit 2; }
  [[ $STAGE == dev || $STAGE == prod ]] || die "stage must be dev or prod ('local' is make run's)"
}

# --- steps shared by deploy and delete ----------------------------------------------------------
ensure_venv() {
  if [[ ! -x $PYTHON ]]; then
    make -C "$ROOT" --no-print-directory install | indent
  fi
  local chalice_version
  chalice_version=$("$CHALICE" --version | awk '{print $2}')
  echo "    $("$PYTHON" --version), chalice ${chalice_version%,}"
}

check_prerequisites() {
  export AWS_REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-1}}
  export AWS_DEFAULT_REGION=$AWS_REGION # Chalice reads this one
  infra identity
  if ! $DELETE && [[ -f $ROOT/frontend/package.json ]]; then
    command -v npm >/dev/null || die "npm is needed to build the SPA (apt-get install nodejs npm)"
  fi
}

# --- deploy -------------------------------------------------------------------------------------
vendor_shared_package() { make -C "$ROOT" --no-print-directory vendor; }
write_policies() { infra policies; }
check_packages() { infra package; }
apply_stack() { infra stack; }
configure_apps() { infra configure; }

chalice_deploy() {
  (cd "$ROOT/$1" && "$CHALICE" deploy --stage "$STAGE") 2>&1 | indent
}

deploy_smartre() { chalice_deploy smartre; }

deploy_repairapp() {
  local smartre_url
  smartre_url=$(infra url --app smartre)
  infra configure --smartre-url "$smartre_url"
  chalice_deploy repairapp
}

tune_apis() { infra api; }
apply_workflow() { infra workflow; }
apply_monitoring() { infra monitoring; }
build_spa() { make -C "$ROOT" --no-print-directory frontend 2>&1 | indent; }
publish_spa() { infra site --dist "$ROOT/frontend/dist"; }
apply_cdn() { infra cdn; }

deploy() {
  step "Python environment" ensure_venv
  step "Account, region and tools" check_prerequisites
  step "Vendor the shared package into both apps" vendor_shared_package
  step "Least-privilege IAM policies from the infra definition" write_policies
  step "Package both apps and check them before any upload" check_packages
  step "Buckets, tables, secrets, staff users, alerts topic, budget" apply_stack
  step "Stage configuration of both apps" configure_apps
  step "Deploy SmartRe" deploy_smartre
  step "Deploy RepairApp" deploy_repairapp
  step "API throttling, gateway responses, tracing and memory" tune_apis
  step "Analysis workflow (Express state machine)" apply_workflow
  step "Log retention, alarms and the dashboard" apply_monitoring
  step "Build the SPA" build_spa
  step "Publish the SPA" publish_spa
  step "CloudFront: geo restriction, deep links, /api/*, photo upload CORS" apply_cdn
}

# --- delete -------------------------------------------------------------------------------------
chalice_delete() {
  if [[ -s $ROOT/$1/.chalice/deployed/$STAGE.json ]]; then
    (cd "$ROOT/$1" && "$CHALICE" delete --stage "$STAGE") 2>&1 | indent
  else
    echo "    absent     $1 (nothing deployed from this checkout)"
  fi
}

delete_cdn() { infra delete-cdn; }
delete_repairapp() { chalice_delete repairapp; }
delete_smartre() { chalice_delete smartre; }
delete_function_logs() { infra delete-logs; }
destroy_stack() { infra destroy; }
delete_alerts() { infra delete-alerts; }

delete() {
  step "Python environment" ensure_venv
  step "Account, region and tools" check_prerequisites
  step "CloudFront: disable, wait until deployed, delete (minutes on AWS)" delete_cdn
  step "Remove RepairApp" delete_repairapp
  step "Remove SmartRe" delete_smartre
  step "Lambda log groups" delete_function_logs
  step "Workflow, staff users, secrets, tables, buckets (emptied)" destroy_stack
  step "Dashboard, alarms, budget and alerts topic" delete_alerts
}

main() {
  parse_arguments "$@"
  cd "$ROOT" # python -m infra imports from the repository root
  trap on_error ERR
  local started=$SECONDS
  # Every change this run asks AWS for, one JSON line each (secrets fingerprinted).
  export INFRA_REQUEST_LOG="$ROOT/build/deploy/$STAGE/requests.jsonl"
  mkdir -p "$(dirname "$INFRA_REQUEST_LOG")"
  : >"$INFRA_REQUEST_LOG"
  if $DELETE; then
    delete
    printf '\nStage %s deleted in %ss.\n' "$STAGE" "$((SECONDS - started))"
  else
    deploy
    printf '\nStage %s deployed in %ss. Changes requested: %s\n' \
      "$STAGE" "$((SECONDS - started))" "$INFRA_REQUEST_LOG"
  fi
}

main "$@"
