// A staff request answered 401 means the token expired or was revoked: go to sign-in and come
// back to the same page afterwards.
import { useRoute, useRouter } from 'vue-router'
import { errorKind } from '../lib/errors'

export function useStaffErrors() {
  const router = useRouter()
  const route = useRoute()
  return function handle(error: unknown): boolean {
    if (errorKind(error) !== 'unauthorized') return false
    void router.replace({ name: 'staff-sign-in', query: { redirect: route.fullPath } })
    return true
  }
}
