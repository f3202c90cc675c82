// Routes. History mode: every path here is also a real URL that S3/CloudFront and `make run`
// answer with index.html. Staff screens are lazy chunks: citizens never download them.
import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteLocationRaw,
} from 'vue-router'
import ReportView from './views/ReportView.vue'
import { getStaffSession } from './api/client'
import { hashWithToken, tokenFromHash } from './lib/fragment'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title. */
    titleKey?: string
    /** Needs a staff session; without one the guard sends the person to the sign-in page. */
    staff?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', name: 'report', component: ReportView, meta: { titleKey: 'report.title' } },
    {
      path: '/triage/:analysisId',
      name: 'triage',
      component: () => import('./views/TriageView.vue'),
      // The analysis holds what the person typed: its token rides in the fragment, like a
      // tracking token, so the page survives a reload and no server logs the key.
      props: (route: RouteLocationNormalized) => ({
        analysisId: route.params.analysisId,
        token: tokenFromHash(route.hash),
      }),
      meta: { titleKey: 'triage.title' },
    },
    {
      path: '/repairs/:repairId',
      name: 'tracking',
      component: () => import('./views/TrackingView.vue'),
      props: (route: RouteLocationNormalized) => ({
        repairId: route.params.repairId,
        token: tokenFromHash(route.hash),
      }),
      meta: { titleKey: 'tracking.title' },
    },
    {
      path: '/events',
      name: 'events',
      component: () => import('./views/EventsView.vue'),
      meta: { titleKey: 'events.title' },
    },
    {
      path: '/staff/sign-in',
      name: 'staff-sign-in',
      component: () => import('./views/staff/StaffSignInView.vue'),
      meta: { titleKey: 'staff.signInTitle' },
    },
    {
      path: '/staff',
      name: 'staff-queue',
      component: () => import('./views/staff/StaffQueueView.vue'),
      meta: { titleKey: 'staff.queueTitle', staff: true },
    },
    {
      path: '/staff/repairs/:repairId',
      name: 'staff-repair',
      component: () => import('./views/staff/StaffRepairView.vue'),
      props: true,
      meta: { titleKey: 'staff.detailTitle', staff: true },
    },
    {
      path: '/staff/stats',
      name: 'staff-stats',
      component: () => import('./views/staff/StaffStatsView.vue'),
      meta: { titleKey: 'staff.statsTitle', staff: true },
    },
    {
      path: '/staff/advice',
      name: 'staff-advice',
      component: () => import('./views/staff/StaffAdviceView.vue'),
      meta: { titleKey: 'staff.adviceTitle', staff: true },
    },
    {
      path: '/staff/events',
      name: 'staff-events',
      component: () => import('./views/staff/StaffEventsView.vue'),
      meta: { titleKey: 'eventStaff.listTitle', staff: true },
    },
    {
      path: '/staff/events/:eventId/prepare',
      name: 'staff-event-prepare',
      component: () => import('./views/staff/StaffEventPrepareView.vue'),
      props: true,
      meta: { titleKey: 'eventStaff.prepareTitle', staff: true },
    },
    {
      path: '/staff/events/:eventId/table',
      name: 'staff-event-table',
      component: () => import('./views/staff/StaffEventTableView.vue'),
      props: true,
      meta: { titleKey: 'eventStaff.tableTitle', staff: true },
    },
    {
      path: '/staff/events/:eventId/summary',
      name: 'staff-event-summary',
      component: () => import('./views/staff/StaffEventSummaryView.vue'),
      props: true,
      meta: { titleKey: 'eventStaff.summaryTitle', staff: true },
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('./views/NotFoundView.vue'),
      meta: { titleKey: 'notFound.title' },
    },
  ],
  scrollBehavior(to, from, saved) {
    if (saved) return saved
    // Filter and page changes in the queue keep the scroll position.
    if (to.path === from.path) return false
    return { top: 0 }
  },
})

/**
 * Links sent before tokens moved to the fragment (`/repairs/<id>?token=…`) still open: the token
 * moves into the fragment and the address bar is replaced, so it is not bookmarked, shared or
 * sent again in the query. Returns where to go instead, or null.
 */
export function withTokenInFragment(
  to: Pick<RouteLocationNormalized, 'params' | 'query'> & { name?: unknown },
): RouteLocationRaw | null {
  const token = to.query.token
  if (to.name !== 'tracking' || typeof token !== 'string') return null
  const query = { ...to.query }
  delete query.token
  return { name: 'tracking', params: to.params, query, hash: hashWithToken(token), replace: true }
}

router.beforeEach((to) => {
  const moved = withTokenInFragment(to)
  if (moved) return moved
  if (to.meta.staff && !getStaffSession()) {
    return { name: 'staff-sign-in', query: { redirect: to.fullPath } }
  }
  return true
})
