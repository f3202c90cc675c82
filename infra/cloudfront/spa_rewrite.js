// CloudFront Function (cloudfront-js-2.0), viewer request, on the S3 (default) behaviour only.
//
// Deep links into the SPA (/triage/abc, /repairs/x) have no file behind them: serve /index.html
// and let the router take over. Paths whose last segment has a file extension are real assets
// and pass through unchanged, so a missing asset stays a 404 instead of becoming a page. /api and
// /api/* are never rewritten (they belong to the API behaviours; the guard keeps API errors intact
// even if this function were attached to the wrong behaviour).
//
// The same rule runs locally in localaws/spa_rewrite.py; tests/unit/localaws/test_localaws_spa_rewrite.py
// runs both over one table of URIs.
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/api' || uri.indexOf('/api/') === 0) {
    return request;
  }
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
