import { Inject, Injectable } from '@nestjs/common';
import {
  type Calendar,
  DataServiceClient,
  type Eddington,
  type Goal,
  type Shoe,
  type Years,
} from '@runnerly/data-client';
import { AppException } from '@runnerly/platform';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config.js';
import { callDataService } from './data-errors.js';
import { type CalendarQueryParams, type RoutesView, SHOE_WARNING_SHARE, type ShoeView } from './glance.dto.js';
import { privateRoute } from './route-privacy.js';

const DAY_MS = 86_400_000;
/** The default calendar: 53 weeks, ending tomorrow in UTC (today somewhere on Earth, wherever the runner is). */
const DEFAULT_CALENDAR_DAYS = 371;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The year at a glance for the logged-in runner: everything is computed in SQL by the
 * data-service; the dashboard only validates, adds the shoe warning and hides the ends of routes.
 */
@Injectable()
export class GlanceService {
  constructor(
    private readonly data: DataServiceClient,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
  ) {}

  calendar(userId: string, query: CalendarQueryParams): Promise<Calendar> {
    const to =
      query.to ??
      (query.from
        ? isoDay(Date.parse(query.from) + (DEFAULT_CALENDAR_DAYS - 1) * DAY_MS)
        : isoDay(Date.now() + DAY_MS));
    const from = query.from ?? isoDay(Date.parse(to) - (DEFAULT_CALENDAR_DAYS - 1) * DAY_MS);
    return callDataService(() => this.data.getCalendar(userId, { from, to }));
  }

  eddington(userId: string): Promise<Eddington> {
    return callDataService(() => this.data.getEddington(userId));
  }

  years(userId: string): Promise<Years> {
    return callDataService(() => this.data.getYears(userId));
  }

  goal(userId: string, year: number | undefined): Promise<Goal> {
    return callDataService(() => this.data.getGoal(userId, year ?? 'current'));
  }

  putGoal(userId: string, year: number, distance: number): Promise<Goal> {
    return callDataService(() => this.data.putGoal(userId, year, distance));
  }

  async shoes(userId: string): Promise<ShoeView[]> {
    const { items } = await callDataService(() => this.data.listShoes(userId));
    return items.map(withWarning);
  }

  async putShoe(userId: string, gearId: string, retireAt: number): Promise<ShoeView> {
    const shoe = await callDataService(() => this.data.putShoe(userId, gearId, retireAt), {
      code: 'gear_not_found',
      as: new AppException('shoe_not_found', 'You have no such shoe', 404),
    });
    return withWarning(shoe);
  }

  /** The newest runs' routes, their first and last metres hidden (DASHBOARD_ROUTE_PRIVACY_METERS). */
  async routes(userId: string): Promise<RoutesView> {
    const meters = this.config.DASHBOARD_ROUTE_PRIVACY_METERS;
    const { items } = await callDataService(() =>
      this.data.listRoutes(userId, { limit: this.config.DASHBOARD_ROUTES_MAX }),
    );
    const routes: RoutesView['routes'] = [];
    for (const item of items) {
      const polyline = privateRoute(item.polyline, meters);
      if (polyline !== undefined) routes.push({ id: item.stravaId, date: item.date, polyline });
    }
    return { privacyMeters: meters, routes };
  }
}

function withWarning(shoe: Shoe): ShoeView {
  const warning =
    shoe.retired || shoe.distance < shoe.retireAt * SHOE_WARNING_SHARE
      ? null
      : shoe.distance >= shoe.retireAt
        ? 'over'
        : 'near';
  return { ...shoe, warning };
}
