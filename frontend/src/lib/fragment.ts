// Secrets in a link travel in the fragment (`#token=…`): browsers never send it to a server, so
// no access log (CloudFront, API Gateway, the local stack) ever sees it. The API gets the token
// in a header instead.

/** The `token` of a `#token=…` fragment, or '' when there is none. */
export function tokenFromHash(hash: string): string {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash)
  return params.get('token') ?? ''
}

/** The fragment that carries `token`. */
export function hashWithToken(token: string): string {
  return `#${new URLSearchParams({ token }).toString()}`
}
