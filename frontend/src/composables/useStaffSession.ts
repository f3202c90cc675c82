// The staff session as reactive state, kept in step with api/client's sessionStorage copy.
import { onScopeDispose, ref } from 'vue'
import { getStaffSession, onStaffSessionChange, type StoredStaffSession } from '../api/client'

export function useStaffSession() {
  const session = ref<StoredStaffSession | null>(getStaffSession())
  const stop = onStaffSessionChange((next) => (session.value = next))
  onScopeDispose(stop)
  return session
}
